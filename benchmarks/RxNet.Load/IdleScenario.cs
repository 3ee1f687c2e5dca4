using System.Net.Sockets;

namespace RxNet.Load;

/// <summary><c>idleN</c> and <c>http-idleN</c>: the server's resident memory per idle connection. After a short
/// warm-up (a few connections make one exchange and close, so the accept and serving paths are loaded before
/// the baseline), the server's RSS is read, N connections are opened and left silent for the duration, and the
/// RSS is read again: bytes per connection = (after - baseline) / N. Each of the N connections first proves itself
/// with one checked exchange, as the external reference kit's idle mode does (echo: one byte echoed; HTTP: one
/// GET /plaintext, kept alive), and is then left idle.</summary>
internal static class IdleScenario
{
    private const int WarmupConnections = 16;

    // Connections making their one request at a time while the N are opened.
    private const int RequestsInFlight = 64;

    public static async Task<Measurement> RunAsync(Scenario scenario, ServerSpec spec, ServerProcess server, Timing timing, CancellationToken cancel)
    {
        Func<Socket, CancellationToken, Task> exchange = scenario.Kind == ScenarioKind.HttpIdle ? HttpExchangeAsync(server.Port) : EchoAsync;
        var cold = ProcessStats.ResidentBytes(server.Pid);
        await WarmUpAsync(server.Port, exchange, cancel);
        await Task.Delay(timing.Warmup, cancel);
        var baseline = ProcessStats.ResidentBytes(server.Pid);

        var sockets = await Connections.OpenAsync(server.Port, scenario.Connections, cancel);
        try
        {
            await EachAsync(sockets, exchange, cancel);
            await Task.Delay(timing.Duration, cancel);
            var after = ProcessStats.ResidentBytes(server.Pid);
            return Result(scenario, spec, cold, baseline, after, sockets);
        }
        finally
        {
            Connections.CloseAll(sockets);
        }
    }

    /// <summary>The figures of an idle run: RSS growth per connection, from the baseline after the warm-up (what one
    /// more idle connection costs) and from before the warm-up (<c>cold_bytes/conn</c>: start-up costs spread over the
    /// N too, as the external reference kit's idle mode counts from before its first connection), and the connections
    /// the server closed (a server that dropped idle connections would look cheap).</summary>
    public static Measurement Result(Scenario scenario, ServerSpec spec, long cold, long baseline, long after, IEnumerable<Socket> sockets) =>
        new(scenario.Name, spec.Name,
        [
            ("bytes/conn", (after - baseline) / (double)scenario.Connections),
            ("cold_bytes/conn", (after - cold) / (double)scenario.Connections),
            ("rss_base_MB", baseline / 1e6),
            ("rss_MB", after / 1e6),
            ("errors", sockets.Count(s => s.Poll(0, SelectMode.SelectRead))),
        ]);

    private static async Task EchoAsync(Socket socket, CancellationToken cancel)
    {
        await socket.SendAsync("x"u8.ToArray(), cancel);
        var echo = new byte[1];
        await Connections.ReceiveExactlyAsync(socket, echo, cancel);
        if (echo[0] != (byte)'x')
            throw new InvalidOperationException($"The warm-up's echo was {echo[0]}, not the byte sent.");
    }

    private static Func<Socket, CancellationToken, Task> HttpExchangeAsync(int port)
    {
        var get = HttpExchange.PlaintextGet(port);
        return (socket, cancel) => new HttpConnection(socket).ExchangeAsync(get.Request, get.Expected, get.Responses, cancel);
    }

    private static async Task WarmUpAsync(int port, Func<Socket, CancellationToken, Task> exchange, CancellationToken cancel)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bound.CancelAfter(Timing.StepBound);
        for (var i = 0; i < WarmupConnections; i++)
        {
            using var socket = await Connections.ConnectAsync(port, bound.Token);
            await exchange(socket, bound.Token);
        }
    }

    // One exchange on every socket, RequestsInFlight at a time, all of them within the step bound.
    private static async Task EachAsync(List<Socket> sockets, Func<Socket, CancellationToken, Task> exchange, CancellationToken cancel)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bound.CancelAfter(Timing.StepBound);
        await Parallel.ForEachAsync(sockets, new ParallelOptions { MaxDegreeOfParallelism = RequestsInFlight, CancellationToken = bound.Token },
            async (socket, token) => await exchange(socket, token));
    }
}
