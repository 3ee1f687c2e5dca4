using System.Net.Sockets;

namespace RxNet.Load;

/// <summary><c>streamSIZE-cN</c>: N connections, each writing SIZE-byte chunks as fast as the server takes
/// them while reading back what it echoes; the rate is echoed bytes per second, an operation one echoed
/// chunk's worth of bytes.</summary>
internal static class StreamScenario
{
    private const long MaxChunks = 1_000_000_000;

    public static async Task<Measurement> RunAsync(Scenario scenario, ServerSpec spec, ServerProcess server, Timing timing, CancellationToken cancel)
    {
        var sockets = await Connections.OpenAsync(server.Port, scenario.Connections, cancel);
        try
        {
            var (window, tallies) = await Workers.RunAsync(server, timing, sockets.Count, (i, phase, tally, stop) =>
                [
                    Task.Run(() => WriteAsync(sockets[i], scenario.Size, phase, stop), CancellationToken.None),
                    Task.Run(() => ReadAsync(sockets[i], scenario.Size, phase, tally, stop), CancellationToken.None),
                ], cancel);
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

    private static async Task WriteAsync(Socket socket, int size, Phase phase, CancellationToken stop)
    {
        var chunk = new byte[size];
        Array.Fill(chunk, (byte)'x');
        try
        {
            for (long i = 0; i < MaxChunks && !phase.Stopped; i++)
                await socket.SendAsync(chunk, stop);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // The window is over, or the reader reports the error.
        }
    }

    private static async Task ReadAsync(Socket socket, int size, Phase phase, Tally tally, CancellationToken stop)
    {
        var buffer = new byte[size];
        try
        {
            for (long i = 0; i < MaxChunks * 64 && !phase.Stopped; i++)
            {
                var read = await socket.ReceiveAsync(buffer, stop);
                if (read == 0)
                {
                    tally.Errors++;
                    return;
                }
                if (phase.Measuring)
                    tally.Bytes += read;
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
