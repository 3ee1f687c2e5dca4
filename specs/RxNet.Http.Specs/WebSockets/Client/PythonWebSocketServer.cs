using System.Diagnostics;
using System.Globalization;
using RxNet.Http.Specs.Server;

namespace RxNet.Http.Specs.WebSockets.Client;

/// <summary>A python3-websockets server script running on 127.0.0.1 for the length of a spec: it prints its port first,
/// runs until its standard input closes, and what it printed after the port is <see cref="StopAsync"/>'s result.</summary>
internal sealed class PythonWebSocketServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _rest;

    private PythonWebSocketServer(Process process, int port)
    {
        _process = process;
        Port = port;
        _rest = process.StandardOutput.ReadToEndAsync();
    }

    public int Port { get; }

    /// <summary>Starts <paramref name="script"/> with the system python3 (the spec skips when it lacks websockets).</summary>
    public static async Task<PythonWebSocketServer> StartAsync(string script)
    {
        string python = await PeerRun.PythonWith("websockets", "python3-websockets");
        var info = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start.");
        using var bound = new CancellationTokenSource(PeerRun.Bound);
        string? line = await process.StandardOutput.ReadLineAsync(bound.Token);
        if (line is null || !int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int port))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The websockets server printed no port: {line} {await process.StandardError.ReadToEndAsync(bound.Token)}");
        }
        return new PythonWebSocketServer(process, port);
    }

    /// <summary>Closes the script's input, waits for it to end (killing it past the bound) and gives what it printed.</summary>
    public async Task<string> StopAsync()
    {
        _process.StandardInput.Close();
        using var bound = new CancellationTokenSource(PeerRun.Bound);
        try
        {
            await _process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException("The websockets server did not stop.");
        }
        return (await _rest).ReplaceLineEndings("\n");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
