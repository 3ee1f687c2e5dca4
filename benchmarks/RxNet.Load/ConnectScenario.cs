using System.Diagnostics;
using System.Net.Sockets;

namespace RxNet.Load;

/// <summary><c>connect-cN</c>: N clients, each connecting, sending 64 bytes, reading them back and checking them,
/// and closing (a half-close, then the server's close), in a loop; latency is the whole cycle.</summary>
internal static class ConnectScenario
{
    private const long MaxCycles = 100_000_000;

    public static async Task<Measurement> RunAsync(Scenario scenario, ServerSpec spec, ServerProcess server, Timing timing, CancellationToken cancel)
    {
        var (window, tallies) = await Workers.RunAsync(server, timing, scenario.Connections,
            (i, phase, tally, stop) => [Task.Run(() => LoopAsync(server.Port, EchoPattern.At(EchoPattern.Start(i), scenario.Size).ToArray(), phase, tally, stop), CancellationToken.None)], cancel);
        await Report.FirstErrorAsync(scenario, spec, tallies);
        return Measurement.Load(scenario, spec, "conn", window, tallies);
    }

    private static async Task LoopAsync(int port, byte[] message, Phase phase, Tally tally, CancellationToken stop)
    {
        var reply = new byte[message.Length];
        var end = new byte[1];
        for (long i = 0; i < MaxCycles && !phase.Stopped; i++)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                using var socket = await Connections.ConnectAsync(port, stop);
                await socket.SendAsync(message, stop);
                await Connections.ReceiveExactlyAsync(socket, reply, stop);
                if (!reply.AsSpan().SequenceEqual(message))
                {
                    tally.Errors++;
                    tally.FirstError ??= "an echo differs from the message sent";
                }
                socket.Shutdown(SocketShutdown.Send);
                // The server closes after our half-close: wait for it, so the cycle is a whole connection.
                if (await socket.ReceiveAsync(end, stop) != 0)
                    tally.Errors++;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                tally.Errors++;
                continue;
            }
            if (phase.Measuring)
                tally.Add(start, message.Length);
        }
    }
}
