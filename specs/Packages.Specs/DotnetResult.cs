namespace Packages.Specs;

/// <summary>How a dotnet command ended: its exit code and everything it printed.</summary>
/// <param name="Command">The command line and its folder, for failure messages.</param>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">Standard output and standard error, interleaved as printed.</param>
internal sealed record DotnetResult(string Command, int ExitCode, string Output)
{
    /// <summary>This result, or an exception that shows the command and its whole output when it failed.</summary>
    public DotnetResult EnsureSuccess() =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"{Command} exited with {ExitCode}. Its output:\n{Output}");
}
