using System.Diagnostics;
using System.Globalization;
using System.Text;
using RxNet.Http.Specs.Server;

namespace RxNet.Http.Specs.WebSockets.Interop;

/// <summary>A peer server script of <c>Scripts/</c> in its own process: it prints <c>listening PORT</c> once it
/// listens on 127.0.0.1 port 0, then <c>closed CODE [REASON]</c> as each socket ends. Disposing it kills it by its PID.</summary>
internal sealed class PeerServerProcess : IWebSocketPeerServer
{
    private const string Listening = "listening ";
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Arrivals<string> _closed = new();
    private readonly StringBuilder _error = new();

    private PeerServerProcess(Process process, bool pings)
    {
        _process = process;
        Pings = pings;
        process.OutputDataReceived += (_, line) => OnLine(line.Data);
        process.ErrorDataReceived += (_, line) =>
        {
            lock (_error)
                _error.AppendLine(line.Data);
        };
    }

    public int Port { get; private set; }

    public bool Pings { get; }

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/> and waits for its port.</summary>
    public static async Task<PeerServerProcess> StartAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        var server = new PeerServerProcess(Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start."), pings: true);
        try
        {
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();
            server.Port = await server._port.Task.WaitAsync(PeerRun.Bound, TestContext.Current.CancellationToken);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public Task<string[]> ClosedAsync(int count) => _closed.FirstAsync(count);

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            string error;
            lock (_error)
                error = _error.ToString();
            _port.TrySetException(new InvalidOperationException($"The peer server ended before listening: {error}"));
        }
        else if (line.StartsWith(Listening, StringComparison.Ordinal))
        {
            _port.TrySetResult(int.Parse(line.AsSpan(Listening.Length), CultureInfo.InvariantCulture));
        }
        else if (line.StartsWith("closed ", StringComparison.Ordinal))
        {
            _closed.Add(line);
        }
    }
}
