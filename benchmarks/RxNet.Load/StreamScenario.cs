namespace RxNet.Load;

/// <summary><c>streamSIZE-cN</c>: N connections, each writing SIZE-byte chunks as fast as the server takes
/// them, with at most a window (four chunks, and at least 1 MiB) sent and not yet echoed, while reading back
/// and checking what it echoes; the rate is echoed bytes per second, an operation one echoed chunk's worth of
/// bytes. All N are served by one <see cref="EchoLoop"/> thread.</summary>
internal static class StreamScenario
{
    public static async Task<Measurement> RunAsync(Scenario scenario, ServerSpec spec, ServerProcess server, Timing timing, CancellationToken cancel)
    {
        var sockets = await Connections.OpenBlockingAsync(server.Port, scenario.Connections, cancel);
        try
        {
            var loop = EchoLoop.Stream(sockets, scenario.Size, Math.Max(4L * scenario.Size, 1 << 20));
            var (window, tallies) = await Workers.RunAsync(server, timing, 1, (_, phase, tally, stop) => [loop.Start(phase, tally, stop)], cancel);
            await Report.FirstErrorAsync(scenario, spec, tallies);
            // Count in whole chunks: the same unit as the chunks written.
            foreach (var tally in tallies)
                tally.Operations = tally.Bytes / scenario.Size;
            return Measurement.Load(scenario, spec, "chunk", window, tallies);
        }
        finally
        {
            Connections.CloseAll(sockets);
        }
    }
}
