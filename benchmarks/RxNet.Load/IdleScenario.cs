using System.Net.Sockets;

namespace RxNet.Load;

/// <summary><c>idleN</c>: the server's resident memory per idle connection. After a short warm-up (a few
/// connections echo once and close, so the accept and echo paths are loaded before the baseline), the
/// server's RSS is read, N connections are opened and left silent for the duration, and the RSS is read
/// again: bytes per connection = (after - baseline) / N.</summary>
internal static class IdleScenario
{
    private const int WarmupConnections = 16;

    public static async Task<Measurement> RunAsync(Scenario scenario, ServerSpec spec, ServerProcess server, Timing timing, CancellationToken cancel)
    {
        await WarmUpAsync(server.Port, cancel);
        await Task.Delay(timing.Warmup, cancel);
        var baseline = ProcessStats.ResidentBytes(server.Pid);

        var sockets = await Connections.OpenAsync(server.Port, scenario.Connections, cancel);
        try
        {
            await Task.Delay(timing.Duration, cancel);
            var after = ProcessStats.ResidentBytes(server.Pid);
            // A server that dropped idle connections would look cheap: count the ones it closed.
            var closed = sockets.Count(s => s.Poll(0, SelectMode.SelectRead));
            return new Measurement(scenario.Name, spec.Name,
            [
                ("bytes/conn", (after - baseline) / (double)scenario.Connections),
                ("rss_base_MB", baseline / 1e6),
                ("rss_MB", after / 1e6),
                ("errors", closed),
            ]);
        }
        finally
        {
            Connections.CloseAll(sockets);
        }
    }

    private static async Task WarmUpAsync(int port, CancellationToken cancel)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bound.CancelAfter(Timing.StepBound);
        var reply = new byte[1];
        for (var i = 0; i < WarmupConnections; i++)
        {
            using var socket = await Connections.ConnectAsync(port, bound.Token);
            await socket.SendAsync("x"u8.ToArray(), bound.Token);
            await Connections.ReceiveExactlyAsync(socket, reply, bound.Token);
        }
    }
}
