using Xunit;
using RxNet.Transport;

namespace RxNet.Specs.Transport;

public sealed class TransportOutputSpecs
{
    private readonly RecordingDrain _drain = new();

    [Fact]
    public void TransportOutput_WritesInOneTurn_LeaveInOneBatchWhenTheTurnEnds()
    {
        var output = new TransportOutput(_drain, "owner", ConnectionOptions.Default);

        var outer = ConnectionTurn.Begin("owner");
        output.OnNext("ab"u8.ToArray());
        output.OnNext("cd"u8.ToArray());
        Assert.Empty(_drain.Batches);                         // nothing leaves inside the turn
        ConnectionTurn.End(outer);

        Assert.Equal(["abcd"], _drain.Batches);
        Assert.Equal(1, output.Sends);
    }

    [Fact]
    public void TransportOutput_WrittenDuringItsOwnersTurnAboveTheMark_PausesTheInput_OtherwiseNot()
    {
        var options = new ConnectionOptions { HighWaterMark = 4, LowWaterMark = 2 };
        _drain.Room = 0;                                      // nothing leaves: the queue only grows
        var fedElsewhere = new TransportOutput(_drain, "a", options);
        var fedByOwnInput = new TransportOutput(_drain, "b", options);

        fedElsewhere.OnNext(new byte[8]);
        var outer = ConnectionTurn.Begin("b");
        fedByOwnInput.OnNext(new byte[8]);
        ConnectionTurn.End(outer);

        Assert.False(fedElsewhere.PausesInput);
        Assert.True(fedByOwnInput.PausesInput);
    }

    [Fact]
    public void TransportOutput_NoRoom_HoldsTheBytesUntilAsked_ThenSendsAllAndShutsDown()
    {
        _drain.Room = 3;                                      // a window of three bytes, used up by what is sent
        var output = new TransportOutput(_drain, "owner", ConnectionOptions.Default);

        output.OnNext("hello"u8.ToArray());
        output.OnCompleted();
        Assert.Equal(["hel"], _drain.Batches);                // the drain ran with room for three
        Assert.Equal(2, output.PendingBytes);

        _drain.Room = long.MaxValue;
        output.RequestDrain();

        Assert.Equal(["hel", "lo"], _drain.Batches);
        Assert.Equal(1, _drain.Shutdowns);
        Assert.True(output.IsFinished);
    }

    [Fact]
    public void TransportOutput_WritesBeyondOneSegment_LeaveInOrderInOneBatch_ThenInOneSegmentAgain()
    {
        var output = new TransportOutput(_drain, "owner", ConnectionOptions.Default, segmentSize: 4);

        var outer = ConnectionTurn.Begin("owner");
        output.OnNext("abcdefghij"u8.ToArray());              // the pool's smallest buffer is 16 bytes: these overflow it
        output.OnNext("klmnopqrst"u8.ToArray());
        output.OnNext("uvwxyz0123"u8.ToArray());
        ConnectionTurn.End(outer);
        output.OnNext("tail"u8.ToArray());

        Assert.Equal(["abcdefghijklmnopqrstuvwxyz0123", "tail"], _drain.Batches);
        Assert.Equal(0, output.PendingBytes);
    }

    [Fact]
    public void TransportOutput_WriteAfterCompletion_IsIgnoredAndCounted()
    {
        var output = new TransportOutput(_drain, "owner", ConnectionOptions.Default);
        output.OnCompleted();

        output.OnNext("late"u8.ToArray());

        Assert.Equal(1, output.WritesAfterClose);
        Assert.Empty(_drain.Batches);
        Assert.Equal(1, _drain.Shutdowns);
    }

    /// <summary>Drains at once on the calling thread (or when the turn ends), recording each batch as text;
    /// <see cref="Room"/> is a window that what is sent uses up.</summary>
    private sealed class RecordingDrain : IOutputDrain
    {
        public List<string> Batches { get; } = [];

        public int Shutdowns { get; private set; }

        public long Room { get; set; } = long.MaxValue;

        void IOutputDrain.ScheduleDrain(TransportOutput queue)
        {
            if (!ConnectionTurn.TryEnlist(queue))
                queue.Drain();
        }

        public ValueTask SendAsync(OutputBatch batch)
        {
            Batches.Add(System.Text.Encoding.ASCII.GetString(batch.ToArray()));
            if (Room != long.MaxValue)
                Room -= batch.Length;
            return default;
        }

        public ValueTask ShutdownAsync()
        {
            Shutdowns++;
            return default;
        }

        public void Failed(Exception error) => throw error;

        public void Abort(Exception error) => throw error;
    }
}
