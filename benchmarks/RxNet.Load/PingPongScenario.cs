namespace RxNet.Load;

/// <summary><c>ppSIZE-cN</c>: N connections, each sending SIZE bytes and waiting for all of them to come
/// back, checked byte for byte, before the next; latency is one round trip. All N are served by one
/// <see cref="EchoLoop"/> thread.</summary>
internal static class PingPongScenario
{
    public static async Task<Measurement> RunAsync(Scenario scenario, ServerSpec spec, ServerProcess server, Timing timing, CancellationToken cancel)
    {
        var sockets = await Connections.OpenBlockingAsync(server.Port, scenario.Connections, cancel);
        try
        {
            var loop = EchoLoop.PingPong(sockets, scenario.Size);
            var (window, tallies) = await Workers.RunAsync(server, timing, 1, (_, phase, tally, stop) => [loop.Start(phase, tally, stop)], cancel);
            await Report.FirstErrorAsync(scenario, spec, tallies);
            return Measurement.Load(scenario, spec, "msg", window, tallies);
        }
        finally
        {
            Connections.CloseAll(sockets);
        }
    }
}
