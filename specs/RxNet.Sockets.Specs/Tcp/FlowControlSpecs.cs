using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using RxNet.Sockets.Internal;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>
/// An echo server's input pauses while its own output is above the high-water mark, so a peer that
/// sends without reading cannot make the server's queue grow: it is bounded by the mark plus one read.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FlowControlSpecs
{
    private const long SixtyFourMiB = 64L * 1024 * 1024;

    [Fact]
    public async Task Echo_PeerSendsWithoutReading_PendingOutputStaysBelowHighWaterMarkPlusOneRead()
    {
        var run = await EchoToSlowReaderAsync();

        Assert.Equal(SixtyFourMiB, run.Sent.Length);
        Assert.Equal(run.Sent, run.Received);
        long bound = ConnectionOptions.Default.HighWaterMark + ReceiveSlab.SlabSize;
        Assert.True(run.MaxPending <= bound, $"the server queued {run.MaxPending} bytes; the bound is {bound}");
        Assert.True(run.MaxPending > 0);
    }

    [Fact]
    public async Task Writable_PeerSendsWithoutReading_TurnsFalseThenTrueAgain()
    {
        var run = await EchoToSlowReaderAsync();

        Assert.Equal(run.Sent, run.Received);
        var changes = run.Writable;
        Assert.True(changes.Count >= 3, $"Writable went {string.Join(", ", changes)}");
        Assert.True(changes[0], "Writable did not start with the current state, true");
        int firstFalse = changes.IndexOf(false);
        Assert.True(firstFalse > 0, "Writable never turned false");
        Assert.Contains(true, changes.Skip(firstFalse + 1));
        Assert.True(changes[^1], "Writable did not end true once everything was sent");
        for (int i = 1; i < changes.Count; i++)
            Assert.NotEqual(changes[i - 1], changes[i]); // only changes are reported
    }

    [Fact]
    public async Task Echo_RxNetClientStreamsWhileReadingTheEcho_DoesNotDeadlock()
    {
        const long Total = 32L * 1024 * 1024;
        using var server = await LoopbackServer.StartAsync(c => c.Input.Subscribe(c.Output));
        using var client = await Peer.ConnectAsync(server.EndPoint);
        var input = new ByteCounter();
        using var subscription = client.Input.Subscribe(input);

        var chunk = new byte[16 * 1024];
        long sent = 0;
        while (sent < Total)
        {
            client.Output.OnNext(chunk);
            sent += chunk.Length;
            if (client.Output.PendingBytes > ConnectionOptions.Default.HighWaterMark)
            {
                // Honour Writable, as the contract asks of a writer; this is where it hangs.
                await client.Output.Writable.FirstAsync(w => w).ToTask(Bounded.Cancel).Within();
            }
        }
        client.Output.OnCompleted();

        Assert.Equal(Total, await input.End.Within(Bounded.Long));
    }

    /// <summary>
    /// A raw peer sends 64 MiB to an RxNet echo server and starts reading only once the server's
    /// output has reported not writable, so the server's queue has certainly filled.
    /// </summary>
    private static async Task<SlowReaderRun> EchoToSlowReaderAsync()
    {
        long maxPending = 0;
        var writable = new ConcurrentQueue<bool>();
        var overHighWater = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var server = await LoopbackServer.StartAsync(c =>
        {
            c.Output.Writable.Subscribe(w =>
            {
                writable.Enqueue(w);
                if (!w)
                    overHighWater.TrySetResult();
            });
            c.Input.Subscribe(
                chunk =>
                {
                    c.Output.OnNext(chunk);
                    maxPending = Math.Max(maxPending, c.Output.PendingBytes); // notifications are sequential
                },
                c.Output.OnError,
                c.Output.OnCompleted);
        });
        using var peer = await Peer.ConnectRawAsync(server.EndPoint);

        var sending = peer.SendRandomAsync(SixtyFourMiB, seed: 64, maxWrite: 48 * 1024);
        var receiving = ReceiveAfterAsync(overHighWater.Task, peer);
        await Task.WhenAll(sending, receiving).Within(Bounded.Long);
        var closed = await (await server.NextAsync()).ClosedWithin();
        Assert.True(closed.IsClean, closed.ToString());

        return new SlowReaderRun(await sending, await receiving, Interlocked.Read(ref maxPending), [.. writable]);
    }

    private static async Task<Digest> ReceiveAfterAsync(Task gate, Socket peer)
    {
        await gate.Within(Bounded.Long);
        return await peer.ReceiveDigestAsync();
    }

    /// <summary>Counts the bytes of an input; <see cref="End"/> gives the total at completion.</summary>
    private sealed class ByteCounter : IObserver<ReadOnlyMemory<byte>>
    {
        private readonly TaskCompletionSource<long> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _count;

        public Task<long> End => _end.Task;

        public void OnNext(ReadOnlyMemory<byte> value) => _count += value.Length;

        public void OnError(Exception error) => _end.TrySetResult(-1);

        public void OnCompleted() => _end.TrySetResult(_count);
    }

    private sealed record SlowReaderRun(Digest Sent, Digest Received, long MaxPending, List<bool> Writable);
}
