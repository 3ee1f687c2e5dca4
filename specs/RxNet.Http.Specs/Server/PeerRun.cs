using System.Diagnostics;
using RxNet.Specs.Shared;

namespace RxNet.Http.Specs.Server;

/// <summary>Runs a real peer to its end within a bound (killing it past that, so a spec fails instead of hanging) and
/// gives what it printed; finds the python3 that has a module, or skips as <see cref="Peers"/> says.</summary>
internal static class PeerRun
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private const string Python = "/usr/bin/python3";

    /// <summary>The system python3 when it can import <paramref name="module"/>; otherwise the spec skips (or fails
    /// under the variable that requires peers), naming <paramref name="package"/>.</summary>
    public static async Task<string> PythonWith(string module, string package)
    {
        string python = Peers.Require(Python, "python3");
        var (code, _, _) = await RunAsync(python, "-c", "import " + module);
        if (code != 0)
            throw Peers.Missing($"{python} cannot import {module}", package);
        return python;
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        using var timeout = new CancellationTokenSource(Bound);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {Bound}.");
        }
    }
}
