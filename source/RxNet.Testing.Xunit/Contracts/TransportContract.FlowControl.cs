using System.Reactive.Linq;
using Xunit;

namespace RxNet.Testing.Contracts;

public abstract partial class TransportContract
{
    /// <summary>
    /// Flow control bounds an echo: the client streams (honouring its own <c>Writable</c>) without
    /// reading, until the echoing server's output has gone above its high-water mark, then sends a
    /// burst more and lets the world settle; only then does it read, and completes. The server's input never delivered while its output was above the mark,
    /// so its queue never exceeded the mark plus one read chunk (<see cref="MaxReadChunk"/>), and every
    /// byte comes back intact and in order.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task FlowControl_PeerSendsWithoutReading_EchoQueueStaysBoundedAndEverythingArrives()
    {
        var run = await EchoToALateReaderAsync();

        var marks = ConnectionOptions.Default;
        Report($"sent {run.Sent} bytes; the echo's queue peaked at {run.Echo.MaxPendingBefore} bytes before a write and "
            + $"{run.Echo.MaxPendingAfter} after one; largest read chunk {run.Echo.LargestWrite} bytes");
        Assert.True(run.Writable.HasGoneFalse, "the echo's output never went above the high-water mark, so this shows nothing");
        Assert.True(run.Echo.MaxPendingBefore <= marks.HighWaterMark,
            $"the echo's input delivered while {run.Echo.MaxPendingBefore} bytes were pending, above the high-water mark {marks.HighWaterMark}");
        Assert.True(run.Echo.LargestWrite <= MaxReadChunk, $"the echo's input delivered a chunk of {run.Echo.LargestWrite} bytes, more than {MaxReadChunk}");
        long bound = marks.HighWaterMark + MaxReadChunk;
        Assert.True(run.Echo.MaxPendingAfter <= bound, $"the echo queued {run.Echo.MaxPendingAfter} bytes; the bound is {bound}");
        Assert.Null(run.End.Error);
        Assert.Equal(run.Sent, run.Received.Count);
        Assert.Equal(-1, run.Received.FirstMismatch);
        Assert.True(run.ServerClosed.IsClean, run.ServerClosed.ToString());
    }

    /// <summary>
    /// <c>Writable</c> follows the water marks: in the run of the flow-control spec, the echo's
    /// <c>Writable</c> starts with the current state, <see langword="true"/>; turns
    /// <see langword="false"/> while the client does not read; turns <see langword="true"/> again once it
    /// reads; reports only changes; and ends <see langword="true"/> before it completes.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Writable_PeerSendsWithoutReading_TurnsFalseThenTrueAgainOnceThePeerReads()
    {
        var run = await EchoToALateReaderAsync();

        var values = run.Writable.Values;
        string seen = string.Join(", ", values);
        Assert.True(values.Count >= 3, $"Writable went {seen}");
        Assert.True(values[0], $"Writable did not start with the current state, true: {seen}");
        int firstFalse = values.IndexOf(false);
        Assert.True(firstFalse > 0, $"Writable never turned false: {seen}");
        Assert.Contains(true, values.Skip(firstFalse + 1));
        Assert.True(values[^1], $"Writable did not end true once everything was sent: {seen}");
        for (int i = 1; i < values.Count; i++)
            Assert.True(values[i - 1] != values[i], $"Writable repeated a value: {seen}");
        await RunUntilAsync(run.Writable.WhenCompleted, "the echo's Writable completed");
    }

    /// <summary>
    /// The water marks come from the connection's options: with a high-water mark of 1024 bytes and a
    /// low one of 512, a write of 2000 bytes on either end makes its <c>Writable</c> go
    /// <see langword="false"/>, and it turns <see langword="true"/> again once the bytes have gone
    /// (the peer reads).
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Writable_WaterMarksFromTheOptions_AreHonouredOnBothEnds()
    {
        var options = new ConnectionOptions { HighWaterMark = 1024, LowWaterMark = 512 };
        var pair = await OpenAsync(options);
        var clientIn = Probe(pair.Client.Input, keep: false);
        var serverIn = Probe(pair.Server.Input, keep: false);

        foreach (var (end, peerIn, name) in new[] { (pair.Client, serverIn, "client"), (pair.Server, clientIn, "server") })
        {
            var writable = WritableRecorder.Of(end.Output);
            end.Output.OnNext(new byte[2000]);
            await RunUntilAsync(writable.WentFalse, $"the {name}'s Writable went false above the high-water mark of the options");
            await RunUntilAsync(peerIn.WhenReceived(2000), $"the {name}'s peer received the bytes");
            await RunUntilAsync(writable.TurnedTrueAgain, $"the {name}'s Writable turned true again");
            Assert.Equal([true, false, true], writable.Values);
        }
    }

    /// <summary>
    /// <c>a.Input.WriteTo(b.Output)</c> pauses <c>a</c> while <c>b</c> cannot take more: a sender streams
    /// into <c>a</c> (honouring its <c>Writable</c>) while the receiver behind <c>b</c> does not read,
    /// until <c>b</c>'s output has gone above its high-water mark, then sends a burst more and lets the
    /// world settle; the receiver then reads and the sender completes. <c>a</c>'s input never delivered
    /// while <c>b</c> was above the mark, so <c>b</c>'s queue stayed within the mark plus one read chunk; every byte arrives in order, and the end of
    /// <c>a</c>'s input completed (half-closed) <c>b</c>'s output.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task WriteTo_ReceiverBehindTheOutputDoesNotRead_SourcePausesAndEverythingArrivesLater()
    {
        var front = await OpenAsync(); // front.Client sends into a = front.Server
        var back = await OpenAsync();  // b = back.Server sends to back.Client
        var b = new MeasuredOutput(back.Server.Output);
        var bWritable = WritableRecorder.Of(back.Server.Output);
        using var pipe = front.Server.Input.WriteTo(b);
        var writer = new PatternWriter(StreamSeed, 64 * 1024, sizeSeed: 3);

        await WriteHonouringWritableAsync(front.Client.Output, writer, long.MaxValue, until: bWritable);
        await BurstAndSettleAsync(front.Client.Output, writer);
        var received = Probe(back.Client.Input, keep: false, pattern: StreamSeed);
        front.Client.Output.OnCompleted();

        var end = await RunUntilEndedAsync(received, "the receiver's");
        var marks = ConnectionOptions.Default;
        Report($"sent {writer.Written} bytes; b's queue peaked at {b.MaxPendingBefore} bytes before a write and "
            + $"{b.MaxPendingAfter} after one; largest read chunk {b.LargestWrite} bytes");
        Assert.True(b.MaxPendingBefore <= marks.HighWaterMark,
            $"a's input delivered while b had {b.MaxPendingBefore} bytes pending, above the high-water mark {marks.HighWaterMark}");
        long bound = marks.HighWaterMark + MaxReadChunk;
        Assert.True(b.MaxPendingAfter <= bound, $"b queued {b.MaxPendingAfter} bytes; the bound is {bound}");
        Assert.Null(end.Error);
        Assert.Equal(writer.Written, received.Count);
        Assert.Equal(writer.Written, b.Written);
        Assert.Equal(-1, received.FirstMismatch);
        Assert.True(b.Completed, "the end of a's input did not complete b's output");
        Assert.Contains(true, bWritable.Values.SkipWhile(w => w).Skip(1));
    }

    /// <summary>
    /// <c>WriteTo</c> passes a failure on: when the sender resets <c>a</c>, <c>a</c> closes with
    /// <see cref="ConnectionCloseReason.Reset"/>, <c>b</c>'s output is aborted
    /// (<see cref="ConnectionCloseReason.Aborted"/>) and the receiver behind <c>b</c> sees a reset.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task WriteTo_SourceResetByItsPeer_AbortsTheOutput()
    {
        Assert.SkipUnless(PeerSeesAborts, "This transport cannot reset a peer, so there is no reset to pass on (PeerSeesAborts is false).");
        var front = await OpenAsync();
        var back = await OpenAsync();
        using var pipe = front.Server.Input.WriteTo(back.Server.Output);
        var received = Probe(back.Client.Input);

        front.Client.Dispose();

        Assert.Equal(ConnectionCloseReason.Reset, (await RunUntilClosedAsync(front.Server, "a's")).Reason);
        Assert.Equal(ConnectionCloseReason.Aborted, (await RunUntilClosedAsync(back.Server, "b's")).Reason);
        Assert.IsType<ConnectionResetException>((await RunUntilEndedAsync(received, "the receiver's")).Error);
    }

    /// <summary>
    /// The run both flow-control specs look at: an echo whose client streams without reading until the
    /// echo's output is above its high-water mark, sends a burst more, and reads only then.
    /// </summary>
    private async Task<LateReaderRun> EchoToALateReaderAsync()
    {
        var pair = await OpenAsync();
        var echo = new MeasuredOutput(pair.Server.Output);
        var writable = WritableRecorder.Of(pair.Server.Output);
        using var echoing = pair.Server.Input.Subscribe(echo);
        var writer = new PatternWriter(StreamSeed, 64 * 1024, sizeSeed: 4);

        await WriteHonouringWritableAsync(pair.Client.Output, writer, long.MaxValue, until: writable);
        await BurstAndSettleAsync(pair.Client.Output, writer);
        var received = Probe(pair.Client.Input, keep: false, pattern: StreamSeed);
        pair.Client.Output.OnCompleted();

        var end = await RunUntilEndedAsync(received, "the client's");
        var closed = await RunUntilClosedAsync(pair.Server, "the server's");
        return new LateReaderRun(writer.Written, received, end, echo, writable, closed);
    }

    /// <summary>
    /// Once the far output is above its mark, the sender writes a burst more (the mark plus one read
    /// chunk, whatever its own <c>Writable</c> says) and the world settles while nobody reads: an input
    /// that failed to pause would deliver the burst now, above the mark, where the measures see it.
    /// </summary>
    private Task BurstAndSettleAsync(IConnectionOutput sender, PatternWriter writer)
    {
        long target = writer.Written + ConnectionOptions.Default.HighWaterMark + MaxReadChunk;
        while (writer.Written < target)
            writer.WriteNext(sender, target);
        return SettleAsync();
    }

    private sealed record LateReaderRun(long Sent, InputProbe Received, ProbeState End, MeasuredOutput Echo, WritableRecorder Writable, ConnectionClosed ServerClosed);
}
