using System.Reactive.Linq;
using Xunit;

namespace RxNet.Testing.Specs.Fakes;

/// <summary>
/// The hand-driven connection users specify protocols with: what the peer sends reaches the one reader in
/// order, copied, and waits while nobody reads; what is written is recorded; dispose aborts like a transport.
/// </summary>
public sealed class FakeConnectionSpecs
{
    [Fact]
    public void Input_ReceivedBeforeAnyoneSubscribes_IsDeliveredInOrderToTheFirstSubscriberThenTheEnd()
    {
        var connection = new FakeConnection();
        connection.Input.Receive("one ");
        connection.Input.Receive("two");
        connection.Input.End();
        var seen = new List<string>();
        bool completed = false;

        using var _ = connection.Input.Subscribe(c => seen.Add(System.Text.Encoding.UTF8.GetString(c.Span)), () => completed = true);

        Assert.Equal(["one ", "two"], seen);
        Assert.True(completed);
        Assert.True(connection.Input.IsEnded);
    }

    [Fact]
    public void Input_ChunkFromAReusedBuffer_IsCopiedSoTheSubscriberKeepsWhatWasSent()
    {
        var connection = new FakeConnection();
        var kept = new List<ReadOnlyMemory<byte>>();
        using var _ = connection.Input.Subscribe(kept.Add);
        var buffer = "abc"u8.ToArray();

        connection.Input.Receive(buffer);
        buffer.AsSpan().Fill((byte)'x');

        Assert.Equal("abc"u8.ToArray(), kept.Single().ToArray());
    }

    [Fact]
    public void Input_SecondConcurrentSubscriber_FailsAtOnceWhileTheFirstKeepsReading()
    {
        var connection = new FakeConnection();
        var first = new List<int>();
        using var _ = connection.Input.Subscribe(c => first.Add(c.Length));
        Exception? error = null;

        using var __ = connection.Input.Subscribe(_ => { }, e => error = e);
        connection.Input.Receive("hi");

        Assert.IsType<InvalidOperationException>(error);
        Assert.Equal([2], first);
        Assert.Equal(1, connection.Input.RefusedCount);
    }

    [Fact]
    public void Input_ReceiveAfterTheEnd_IsIgnored()
    {
        var connection = new FakeConnection();
        var seen = new List<int>();
        using var _ = connection.Input.Subscribe(c => seen.Add(c.Length));

        connection.Input.End();
        connection.Input.Receive("late");

        Assert.Empty(seen);
    }

    [Fact]
    public void Output_WritesThenCompletion_RecordsCopiesAndCountsWritesAfterTheEnd()
    {
        var connection = new FakeConnection();
        var buffer = "hello "u8.ToArray();

        connection.Output.OnNext(buffer);
        buffer.AsSpan().Fill((byte)'x');
        connection.Output.OnNext("world"u8.ToArray());
        connection.Output.OnNext(ReadOnlyMemory<byte>.Empty);
        connection.Output.OnCompleted();
        connection.Output.OnNext("late"u8.ToArray());

        Assert.Equal("hello world", connection.Output.Text);
        Assert.Equal(2, connection.Output.Writes.Count);
        Assert.True(connection.Output.IsCompleted);
        Assert.Equal(1, connection.Output.WritesAfterEnd);
    }

    [Fact]
    public void Output_SetWritable_ReachesObserversAndTheOutputsEndCompletesIt()
    {
        var connection = new FakeConnection();
        var states = new List<bool>();
        bool completed = false;
        using var _ = connection.Output.Writable.Subscribe(states.Add, () => completed = true);

        connection.Output.SetWritable(false);
        connection.Output.SetWritable(true);
        connection.Output.OnError(new InvalidOperationException("writer gave up"));

        Assert.Equal([true, false, true], states);
        Assert.True(completed);
        Assert.IsType<InvalidOperationException>(connection.Output.Error);
    }

    [Fact]
    public void Dispose_WhileReading_AbortsTheOutputFailsTheInputAndClosesAsAbortedOnce()
    {
        var connection = new FakeConnection();
        Exception? inputError = null;
        using var _ = connection.Input.Subscribe(_ => { }, e => inputError = e);
        var reasons = new List<ConnectionCloseReason>();
        using var __ = connection.Closed.Subscribe(c => reasons.Add(c.Reason));

        connection.Dispose();
        connection.Dispose();

        Assert.IsType<ConnectionAbortedException>(inputError);
        Assert.True(connection.Output.IsAborted);
        Assert.Equal([ConnectionCloseReason.Aborted], reasons);
        Assert.Equal(2, connection.DisposeCount);
    }

    [Fact]
    public void Close_CalledTwice_ReportsTheFirstReasonOnlyAndReplaysItToLateSubscribers()
    {
        var connection = new FakeConnection();

        connection.Close(ConnectionCloseReason.PeerClose);
        connection.Close(ConnectionCloseReason.Reset, new ConnectionResetException());
        connection.Dispose();

        Assert.Equal(ConnectionCloseReason.PeerClose, connection.Closed.Wait().Reason);
        Assert.False(connection.Output.IsAborted);
    }
}
