using Xunit;

namespace RxNet.Specs.Shared;

/// <summary>
/// The outside programs some specs talk to (nc, openssl, curl, python3 with Twisted). On a machine without one,
/// a spec that needs it is skipped with the reason and the command that installs it, so the README's test
/// command passes with only the .NET SDK. Under <c>RXNET_REQUIRE_PEERS=1</c> (set by <c>.ci/run</c>, which
/// installs them all) a missing peer fails the spec instead: CI never skips silently.
/// </summary>
internal static class Peers
{
    /// <summary>The environment switch under which a missing peer is a failure, not a skip.</summary>
    public const string RequireVariable = "RXNET_REQUIRE_PEERS";

    /// <summary>Whether a missing peer fails the spec.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) is "1" or "true";

    /// <summary>Returns the full path of <paramref name="program"/> on <c>PATH</c>; skips the spec (or fails it, under
    /// <see cref="RequireVariable"/>) when there is none, naming the Debian <paramref name="package"/> to install.</summary>
    public static string Require(string program, string package) =>
        Find(program) ?? throw Missing($"{program} is not on PATH", package);

    /// <summary>The full path of <paramref name="program"/> on <c>PATH</c>, or <see langword="null"/>.</summary>
    public static string? Find(string program)
    {
        if (Path.IsPathRooted(program))
            return File.Exists(program) ? program : null;
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, program);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & UnixFileMode.UserExecute) != 0))
                return candidate;
        }
        return null;
    }

    /// <summary>Skips the running spec because <paramref name="what"/>, or fails it under <see cref="RequireVariable"/>;
    /// the message names <c>apt-get install -y <paramref name="package"/></c>. Returns nothing: it always throws.</summary>
    public static Exception Missing(string what, string package) => NotInstalled(what, $"apt-get install -y {package}");

    /// <summary>As <see cref="Missing"/>, for a peer that another installer brings: the message names
    /// <paramref name="installCommand"/> as it is. Returns nothing: it always throws.</summary>
    public static Exception NotInstalled(string what, string installCommand)
    {
        string message = $"{what}: this spec needs a real peer. Install it with `{installCommand}` (as .ci/run does).";
        if (Required)
            Assert.Fail($"{message} {RequireVariable}=1 makes a missing peer a failure.");
        Assert.Skip(message);
        return new InvalidOperationException(message); // not reached: Assert.Skip throws
    }
}
