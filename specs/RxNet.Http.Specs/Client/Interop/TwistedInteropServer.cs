using System.Diagnostics;
using System.Globalization;
using RxNet.Http.Specs.Server;

namespace RxNet.Http.Specs.Client.Interop;

/// <summary>twisted.web (python3-twisted) running <c>twisted_interop_server.py</c>, which prints its port; skipped (or
/// failed under RXNET_REQUIRE_PEERS=1) without python3-twisted. Connections are counted by the script's
/// <c>/connections</c> route.</summary>
internal sealed class TwistedInteropServer : IInteropServer
{
    private readonly Process _process;

    private TwistedInteropServer(Process process, int port) => (_process, Port) = (process, port);

    public string Name => "twisted.web";

    public int Port { get; }

    public static async Task<TwistedInteropServer> StartAsync()
    {
        string python = await PeerRun.PythonWith("twisted.web.server", "python3-twisted");
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-u");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Client", "Interop", "twisted_interop_server.py"));
        var process = Process.Start(info)!;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(PeerRun.Bound);
        try
        {
            string? line = await process.StandardOutput.ReadLineAsync(cancel.Token);
            if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
                throw new InvalidOperationException($"twisted.web did not start: {line} {await process.StandardError.ReadToEndAsync(cancel.Token)}");
            // Python's tracebacks (a reset request never finishes) must not fill the pipe and stall the server.
            process.BeginErrorReadLine();
            return new TwistedInteropServer(process, int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture));
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    public async Task<int> ConnectionsAcceptedAsync()
    {
        using var client = new HttpClient();
        string count = await client.GetStringAsync(this.Url("/connections"), TestContext.Current.CancellationToken);
        return int.Parse(count, CultureInfo.InvariantCulture) - 1;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
