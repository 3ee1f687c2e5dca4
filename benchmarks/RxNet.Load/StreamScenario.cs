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
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        try
        {
            var phase = new Phase();
            var tallies = sockets.Select(_ => new Tally()).ToList();
            var writers = sockets.Select(s => Task.Run(() => WriteAsync(s, scenario.Size, phase, stop.Token)));
            var readers = sockets.Select((s, i) => Task.Run(() => ReadAsync(s, scenario.Size, phase, tallies[i], stop.Token)));
            var workers = writers.Concat(readers).ToList();
            var window = await MeasuredWindow.RunAsync(server, timing, phase, cancel);
            await stop.CancelAsync();
            await Task.WhenAll(workers).WaitAsync(Timing.StepBound, CancellationToken.None);

            // Count in whole chunks: the same unit as the chunks written.
            foreach (var tally in tallies)
                tally.Operations = tally.Bytes / scenario.Size;
            return Measurement.Load(scenario, spec, "chunk", window, tallies);
        }
        finally
        {
            await stop.CancelAsync();
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
