using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using RxNet.Sockets.Internal;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>
/// <c>a.Input.WriteTo(b.Output)</c> is a proxy with back-pressure: A's input pauses while B's output
/// is above its high-water mark, so a slow reader behind B bounds what the proxy holds.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WriteToSpecs
{
    private const long SixtyFourMiB = 64L * 1024 * 1024;

    [Fact]
    public async Task WriteTo_ReceiverBehindBDoesNotRead_AInputPausesAndEverythingArrivesLater()
    {
        using var front = await LoopbackServer.StartAsync();
        using var back = await LoopbackServer.StartAsync();
        using var sender = await Peer.ConnectRawAsync(front.EndPoint);
        using var receiver = await Peer.ConnectRawAsync(back.EndPoint);
        using var a = await front.NextAsync();
        using var b = await back.NextAsync();
        var output = new SampledOutput(b.Output);
        var overHighWater = b.Output.Writable.FirstAsync(w => !w).ToTask(Bounded.Cancel);

        using var pipe = a.Input.WriteTo(output);
        var sending = sender.SendRandomAsync(SixtyFourMiB, seed: 7, maxWrite: 64 * 1024);
        var receiving = ReceiveAfterAsync(overHighWater, receiver);
        await Task.WhenAll(sending, receiving).Within(Bounded.Long);

        var sent = await sending;
        Assert.Equal(sent, await receiving);
        long bound = ConnectionOptions.Default.HighWaterMark + ReceiveSlab.SlabSize;
        Assert.True(output.MaxPending <= bound, $"B queued {output.MaxPending} bytes; the bound is {bound}");
        Assert.Equal(SixtyFourMiB, output.Written);
        Assert.Equal(SixtyFourMiB, ((SocketInput)((SocketConnection)a).Input).BytesReceived);
        Assert.True(output.Completed, "the end of A's input did not complete B's output");
    }

    [Fact]
    public async Task WriteTo_SourceFails_AbortsTheOutput()
    {
        using var front = await LoopbackServer.StartAsync();
        using var back = await LoopbackServer.StartAsync();
        using var sender = await Peer.ConnectRawAsync(front.EndPoint);
        using var receiver = await Peer.ConnectRawAsync(back.EndPoint);
        using var a = await front.NextAsync();
        using var b = await back.NextAsync();
        using var pipe = a.Input.WriteTo(b.Output);

        sender.LingerState = new LingerOption(true, 0);
        sender.Close();

        Assert.Equal(ConnectionCloseReason.Reset, (await a.ClosedWithin()).Reason);
        Assert.Equal(ConnectionCloseReason.Aborted, (await b.ClosedWithin()).Reason);
        var error = await Assert.ThrowsAsync<SocketException>(() => receiver.ReadToEndAsync().Within());
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
    }

    private static async Task<Digest> ReceiveAfterAsync(Task gate, Socket receiver)
    {
        await gate.Within(Bounded.Long);
        return await receiver.ReceiveDigestAsync();
    }

    /// <summary>Passes everything to B's output and samples its queue after each write.</summary>
    private sealed class SampledOutput(IConnectionOutput inner) : IConnectionOutput
    {
        private long _maxPending;
        private long _written;
        private volatile bool _completed;

        public IObservable<bool> Writable => inner.Writable;

        public long PendingBytes => inner.PendingBytes;

        public long MaxPending => Interlocked.Read(ref _maxPending);

        public long Written => Interlocked.Read(ref _written);

        public bool Completed => _completed;

        public void OnNext(ReadOnlyMemory<byte> value)
        {
            inner.OnNext(value);
            Interlocked.Add(ref _written, value.Length);
            long pending = inner.PendingBytes;
            if (pending > Interlocked.Read(ref _maxPending))
                Interlocked.Exchange(ref _maxPending, pending); // notifications are sequential
        }

        public void OnError(Exception error) => inner.OnError(error);

        public void OnCompleted()
        {
            _completed = true;
            inner.OnCompleted();
        }
    }
}
