using System.Diagnostics;
using System.Net.Sockets;

namespace RxNet.Load;

/// <summary>
/// The WebSocket scenarios, against a server that echoes every message on <c>/ws</c>: every message one masked binary
/// frame, every echo checked byte for byte. <c>ws-ppSIZE-cN</c>: N sockets, each sending a message and waiting for
/// its echo; <c>ws-streamSIZE-cN</c>: N sockets each sending messages as fast as the server takes them while reading
/// the echoes (echoed bytes per second); <c>ws-connect-cN</c>: N clients each connecting, opening a socket, echoing
/// 64 bytes and closing (close handshake, then the server's TCP close), in a loop; <c>ws-idleN</c>: N open sockets,
/// silent, and the server's resident memory per socket. A wrong echo is an error and ends its socket's loop.
/// </summary>
internal static class WsScenario
{
    private const long MaxOperations = 1_000_000_000;
    private const int WarmupSockets = 16;

    public static async Task<Measurement> RunAsync(Scenario scenario, ServerSpec spec, ServerProcess server, Timing timing, CancellationToken cancel) =>
        scenario.Kind switch
        {
            ScenarioKind.WsIdle => await IdleAsync(scenario, spec, server, timing, cancel),
            ScenarioKind.WsConnect => await LoadAsync(scenario, spec, server, timing, null, "conn", (_, phase, tally, stop) =>
                [Task.Run(() => ConnectLoopAsync(server.Port, scenario.Size, phase, tally, stop), CancellationToken.None)], cancel),
            _ => await OpenThenLoadAsync(scenario, spec, server, timing, cancel),
        };

    private static async Task<Measurement> OpenThenLoadAsync(Scenario scenario, ServerSpec spec, ServerProcess server, Timing timing, CancellationToken cancel)
    {
        var sockets = await OpenAsync(server.Port, scenario.Connections, cancel);
        try
        {
            if (scenario.Kind == ScenarioKind.WsPingPong)
            {
                return await LoadAsync(scenario, spec, server, timing, null, "msg", (i, phase, tally, stop) =>
                    [Task.Run(() => PingPongAsync(sockets[i], scenario.Size, phase, tally, stop), CancellationToken.None)], cancel);
            }
            return await LoadAsync(scenario, spec, server, timing, scenario.Size, "msg", (i, phase, tally, stop) =>
            {
                var payload = WsConnection.Payload(scenario.Size);
                var frame = WsConnection.Frame(payload);
                return
                [
                    Task.Run(() => WriteAsync(sockets[i], frame, phase, stop), CancellationToken.None),
                    Task.Run(() => ReadAsync(sockets[i], payload, phase, tally, stop), CancellationToken.None),
                ];
            }, cancel);
        }
        finally
        {
            Connections.CloseAll(sockets.Select(s => s.Socket));
        }
    }

    private static async Task<Measurement> LoadAsync(Scenario scenario, ServerSpec spec, ServerProcess server, Timing timing, int? wholeMessages, string operation,
        Func<int, Phase, Tally, CancellationToken, IEnumerable<Task>> start, CancellationToken cancel)
    {
        var (window, tallies) = await Workers.RunAsync(server, timing, scenario.Connections, start, cancel);
        await Report.FirstErrorAsync(scenario, spec, tallies);
        if (wholeMessages is { } size)
        {
            foreach (var tally in tallies)
                tally.Operations = tally.Bytes / size;
        }
        return Measurement.Load(scenario, spec, operation, window, tallies);
    }

    private static async Task PingPongAsync(WsConnection socket, int size, Phase phase, Tally tally, CancellationToken stop)
    {
        var payload = WsConnection.Payload(size);
        var frame = WsConnection.Frame(payload);
        await GuardAsync(tally, async () =>
        {
            for (long i = 0; i < MaxOperations && !phase.Stopped; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await socket.SendAsync(frame, stop);
                await socket.ReadEchoAsync(payload, stop);
                if (phase.Measuring)
                    tally.Add(start, size);
            }
        });
    }

    private static async Task WriteAsync(WsConnection socket, byte[] frame, Phase phase, CancellationToken stop)
    {
        try
        {
            for (long i = 0; i < MaxOperations && !phase.Stopped; i++)
                await socket.SendAsync(frame, stop);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // The window is over, or the reader reports the error.
        }
    }

    private static Task<bool> ReadAsync(WsConnection socket, byte[] payload, Phase phase, Tally tally, CancellationToken stop) =>
        GuardAsync(tally, async () =>
        {
            for (long i = 0; i < MaxOperations && !phase.Stopped; i++)
            {
                await socket.ReadEchoAsync(payload, stop);
                if (phase.Measuring)
                    tally.Bytes += payload.Length;
            }
        });

    private static async Task ConnectLoopAsync(int port, int size, Phase phase, Tally tally, CancellationToken stop)
    {
        var payload = WsConnection.Payload(size);
        var frame = WsConnection.Frame(payload);
        for (long i = 0; i < MaxOperations && !phase.Stopped; i++)
        {
            var start = Stopwatch.GetTimestamp();
            bool ok = await GuardAsync(tally, async () =>
            {
                var socket = await WsConnection.OpenAsync(port, stop);
                using (socket.Socket)
                {
                    await socket.SendAsync(frame, stop);
                    await socket.ReadEchoAsync(payload, stop);
                    await socket.CloseAsync(stop);
                }
            });
            if (!ok)
                return;
            if (phase.Measuring)
                tally.Add(start, size);
        }
    }

    /// <summary>The server's resident memory per open, silent socket: as the echo idle scenario, each socket first
    /// opened with the handshake and one echoed message.</summary>
    private static async Task<Measurement> IdleAsync(Scenario scenario, ServerSpec spec, ServerProcess server, Timing timing, CancellationToken cancel)
    {
        var payload = WsConnection.Payload(1);
        var frame = WsConnection.Frame(payload);
        var cold = ProcessStats.ResidentBytes(server.Pid);
        using (var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel))
        {
            bound.CancelAfter(Timing.StepBound);
            for (int i = 0; i < WarmupSockets; i++)
            {
                var socket = await WsConnection.OpenAsync(server.Port, bound.Token);
                using (socket.Socket)
                {
                    await socket.SendAsync(frame, bound.Token);
                    await socket.ReadEchoAsync(payload, bound.Token);
                    await socket.CloseAsync(bound.Token);
                }
            }
        }
        await Task.Delay(timing.Warmup, cancel);
        var baseline = ProcessStats.ResidentBytes(server.Pid);
        var sockets = await OpenAsync(server.Port, scenario.Connections, cancel);
        try
        {
            using (var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                bound.CancelAfter(Timing.StepBound * 4);
                await Parallel.ForEachAsync(sockets, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = bound.Token }, async (socket, token) =>
                {
                    await socket.SendAsync(frame, token);
                    await socket.ReadEchoAsync(payload, token);
                });
            }
            await Task.Delay(timing.Duration, cancel);
            var after = ProcessStats.ResidentBytes(server.Pid);
            return IdleScenario.Result(scenario, spec, cold, baseline, after, sockets.Select(s => s.Socket));
        }
        finally
        {
            Connections.CloseAll(sockets.Select(s => s.Socket));
        }
    }

    // Opens count sockets, 64 handshakes at a time.
    private static async Task<List<WsConnection>> OpenAsync(int port, int count, CancellationToken cancel)
    {
        var opened = new List<WsConnection>(count);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bound.CancelAfter(Timing.StepBound * 4);
        try
        {
            for (int first = 0; first < count; first += 64)
            {
                var batch = Enumerable.Range(0, Math.Min(64, count - first)).Select(_ => WsConnection.OpenAsync(port, bound.Token)).ToList();
                try
                {
                    await Task.WhenAll(batch);
                }
                finally
                {
                    opened.AddRange(batch.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
                }
            }
            return opened;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or InvalidDataException)
        {
            Connections.CloseAll(opened.Select(s => s.Socket));
            throw new InvalidOperationException($"Opened {opened.Count} of {count} WebSockets, then: {e.Message} (the open-files limit is `ulimit -n`).", e);
        }
    }

    // Runs a worker's loop; a wrong echo or a failed socket is counted, the window's end is not. False when it failed.
    private static async Task<bool> GuardAsync(Tally tally, Func<Task> loop)
    {
        try
        {
            await loop();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is InvalidDataException or SocketException or IOException)
        {
            tally.Errors++;
            tally.FirstError ??= e.Message;
            return false;
        }
    }
}
