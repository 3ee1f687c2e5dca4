using System.Reactive.Linq;
using Xunit;

namespace RxNet.Testing.Contracts;

public abstract partial class TransportContract
{
    /// <summary>
    /// The input is unicast: while one subscriber reads, a second subscription fails at once with an
    /// <see cref="InvalidOperationException"/> whose message points to <c>Publish()</c>; the first keeps
    /// receiving, and the second gets nothing else.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Input_SecondConcurrentSubscriber_FailsAtOnceMentioningPublishWhileTheFirstKeepsReceiving()
    {
        var pair = await OpenAsync();
        var first = Probe(pair.Server.Input);

        var second = Probe(pair.Server.Input);

        Assert.True(second.Ended, "the second subscriber was not failed at once");
        var error = Assert.IsType<InvalidOperationException>(second.Error);
        Assert.Contains("Publish", error.Message, StringComparison.Ordinal);
        pair.Client.Output.OnNext("still here"u8.ToArray());
        await RunUntilAsync(first.WhenReceived(10), "the first subscriber received the bytes");
        Assert.Equal("still here", first.Text());
        Assert.False(first.Ended);
        Assert.Equal(0, second.Chunks);
        Assert.Equal(0, second.LateNotifications);
    }

    /// <summary>
    /// Nothing is lost between subscribers: the client streams <see cref="StreamBytes"/> and completes; the server's first
    /// subscriber unsubscribes from inside its <c>OnNext</c> once it has 100 000 bytes, and receives
    /// nothing more; the world runs on with nobody reading; a second subscriber then gets every later
    /// byte, in order, and the completion.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Input_ResubscribedAfterUnsubscribing_GetsEveryLaterByte()
    {
        long total = StreamBytes;
        var pair = await OpenAsync();
        var first = new InputProbe(keep: true, pattern: StreamSeed) { LeaveAfter = 100_000 };
        first.SubscribeTo(pair.Server.Input);
        var writer = new PatternWriter(StreamSeed, 64 * 1024, sizeSeed: 2);
        while (writer.Written < total)
            writer.WriteNext(pair.Client.Output, total);
        pair.Client.Output.OnCompleted();

        await RunUntilAsync(first.WhenLeft, "the first subscriber left");
        await SettleAsync();
        var rest = Probe(pair.Server.Input, keep: true);

        var end = await RunUntilEndedAsync(rest, "the server's");
        Assert.Null(end.Error);
        Assert.False(first.Ended, "the first subscriber was notified after it left");
        Assert.Equal(0, first.LateNotifications);
        Assert.Equal(-1, first.FirstMismatch);
        byte[] all = [.. first.Bytes(), .. rest.Bytes()];
        Assert.Equal(total, all.Length);
        Assert.Equal(-1, Pattern.FirstMismatch(StreamSeed, 0, all));
    }

    /// <summary>
    /// Bytes that arrive before anyone subscribes are kept: the server sends 10 000 bytes and completes
    /// its output; once that output has finished and the world has settled, the client subscribes for
    /// the first time and gets every byte, then the completion.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Input_SubscribedAfterThePeerSentAndFinished_GetsEveryByteThenCompletes()
    {
        const int Size = 10_000;
        var pair = await OpenAsync();
        var data = new byte[Size];
        Pattern.Fill(StreamSeed, 0, data);
        var serverWritable = WritableRecorder.Of(pair.Server.Output);

        pair.Server.Output.OnNext(data);
        pair.Server.Output.OnCompleted();
        await RunUntilAsync(serverWritable.WhenCompleted, "the server's output finished");
        await SettleAsync();
        var clientIn = Probe(pair.Client.Input);

        var end = await RunUntilEndedAsync(clientIn, "the client's");
        Assert.Null(end.Error);
        Assert.Equal(data, clientIn.Bytes());
    }

    /// <summary>
    /// <c>Publish()</c> shares the input: two subscribers of the published input each get all of the
    /// 200 KiB the client sends, then the completion.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Input_Published_EverySubscriberGetsEveryByte()
    {
        const int Size = 200 * 1024;
        var pair = await OpenAsync();
        var shared = pair.Server.Input.Publish();
        var a = Probe(shared, keep: false, pattern: StreamSeed);
        var b = Probe(shared, keep: false, pattern: StreamSeed);
        using var connect = shared.Connect();
        var data = new byte[Size];
        Pattern.Fill(StreamSeed, 0, data);

        pair.Client.Output.OnNext(data);
        pair.Client.Output.OnCompleted();

        foreach (var (probe, name) in new[] { (a, "the first"), (b, "the second") })
        {
            var end = await RunUntilEndedAsync(probe, $"{name} subscriber's");
            Assert.Null(end.Error);
            Assert.Equal(Size, probe.Count);
            Assert.Equal(-1, probe.FirstMismatch);
        }
    }
}
