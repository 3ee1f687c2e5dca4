using System.Diagnostics;
using System.Globalization;
using RxNet.Specs.Shared;

namespace RxNet.Http.Specs.Web;

/// <summary>
/// Twisted's own <c>twisted.web.static.File</c> served by <c>Site</c> on 127.0.0.1 (port 0) from a directory, run by
/// the system's python3 with python3-twisted; skipped (or failed under RXNET_REQUIRE_PEERS=1) without them. Disposing
/// kills the process by its id.
/// </summary>
internal sealed class TwistedWebProcess : IDisposable
{
    private const string Script = """
        import sys
        from twisted.internet import reactor
        from twisted.web.server import Site
        from twisted.web.static import File

        port = reactor.listenTCP(0, Site(File(sys.argv[1])), interface="127.0.0.1")
        print("listening", port.getHost().port, flush=True)
        reactor.callLater(300, reactor.stop)  # a safety net should the spec runner vanish
        reactor.run()
        """;

    private readonly Process _process;

    private TwistedWebProcess(Process process, int port) => (_process, Port) = (process, port);

    public int Port { get; }

    public static async Task<TwistedWebProcess> StartAsync(string directory, TimeSpan bound)
    {
        const string python = "/usr/bin/python3";
        if (Peers.Find(python) is null)
            throw Peers.Missing($"{python} is missing", "python3-twisted");
        var check = Process.Start(new ProcessStartInfo(python, ["-c", "import twisted.web.static"]) { RedirectStandardError = true })!;
        await check.WaitForExitAsync(TestContext.Current.CancellationToken);
        if (check.ExitCode != 0)
            throw Peers.Missing($"{python} cannot import twisted.web", "python3-twisted");

        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-u", "-c", Script, directory })
            info.ArgumentList.Add(argument);
        var process = Process.Start(info)!;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(bound);
        try
        {
            string? line = await process.StandardOutput.ReadLineAsync(cancel.Token);
            if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
                throw new InvalidOperationException($"twisted.web did not start: {line} {await process.StandardError.ReadToEndAsync(cancel.Token)}");
            return new TwistedWebProcess(process, int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture));
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
