namespace RxNet.Load;

/// <summary>The HTTP load scenarios (<c>plaintext-cN</c>, <c>pipelined-cN</c>, <c>json-cN</c>,
/// <c>echoSIZE-cN</c>): N keep-alive connections, each sending one round of requests (one request, or 16
/// pipelined for <c>pipelined</c>), reading and checking every response, and repeating. An operation is one
/// request; latency is one round (for <c>pipelined</c>, the 16 requests, as wrk counts its pipelined batch).
/// A response that is not exactly right is an error and ends its connection's loop, since its framing can no
/// longer be trusted.</summary>
internal static class HttpScenario
{
    private const long MaxRounds = 1_000_000_000;

    public static async Task<Measurement> RunAsync(Scenario scenario, ServerSpec spec, ServerProcess server, Timing timing, CancellationToken cancel)
    {
        var exchange = HttpExchange.For(scenario, server.Port);
        var sockets = await Connections.OpenAsync(server.Port, scenario.Connections, cancel);
        try
        {
            var (window, tallies) = await Workers.RunAsync(server, timing, sockets.Count,
                (i, phase, tally, stop) => [Task.Run(() => LoopAsync(new HttpConnection(sockets[i]), exchange, phase, tally, stop), CancellationToken.None)], cancel);
            await Report.FirstErrorAsync(scenario, spec, tallies);
            return Measurement.Load(scenario, spec, "req", window, tallies);
        }
        finally
        {
            Connections.CloseAll(sockets);
        }
    }

    private static async Task LoopAsync(HttpConnection connection, HttpExchange exchange, Phase phase, Tally tally, CancellationToken stop)
    {
        var bytes = exchange.Expected.Body.Length * (long)exchange.Responses;
        try
        {
            for (long i = 0; i < MaxRounds && !phase.Stopped; i++)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                await connection.ExchangeAsync(exchange.Request, exchange.Expected, exchange.Responses, stop);
                if (phase.Measuring)
                    tally.Add(start, bytes, exchange.Responses);
            }
        }
        catch (OperationCanceledException)
        {
            // The window is over.
        }
        catch (Exception e) when (e is InvalidDataException or System.Net.Sockets.SocketException)
        {
            tally.Errors++;
            tally.FirstError ??= e.Message;
        }
    }
}
