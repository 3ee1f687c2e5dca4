using System.Net.Sockets;

namespace RxNet.Load;

/// <summary><c>ppSIZE-cN</c>: N connections, each sending SIZE bytes and waiting for all of them to come
/// back before the next; latency is one round trip.</summary>
internal static class PingPongScenario
{
    // Far above what a window can hold at loopback speed: the window's end is what stops a worker.
    private const long MaxRoundTrips = 1_000_000_000;

    public static async Task<Measurement> RunAsync(Scenario scenario, ServerSpec spec, ServerProcess server, Timing timing, CancellationToken cancel)
    {
        var sockets = await Connections.OpenAsync(server.Port, scenario.Connections, cancel);
        try
        {
            var (window, tallies) = await Workers.RunAsync(server, timing, sockets.Count,
                (i, phase, tally, stop) => [Task.Run(() => LoopAsync(sockets[i], scenario.Size, phase, tally, stop), CancellationToken.None)], cancel);
            return Measurement.Load(scenario, spec, "msg", window, tallies);
        }
        finally
        {
            Connections.CloseAll(sockets);
        }
    }

    private static async Task LoopAsync(Socket socket, int size, Phase phase, Tally tally, CancellationToken stop)
    {
        var message = new byte[size];
        Array.Fill(message, (byte)'x');
        var reply = new byte[size];
        try
        {
            for (long i = 0; i < MaxRoundTrips && !phase.Stopped; i++)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                await socket.SendAsync(message, stop);
                await Connections.ReceiveExactlyAsync(socket, reply, stop);
                if (phase.Measuring)
                    tally.Add(start, size);
            }
        }
        catch (OperationCanceledException)
        {
            // The window is over.
        }
        catch (SocketException)
        {
            tally.Errors++;
        }
    }
}
