using System.Reactive.Subjects;
using RxNet.Specs.Fakes;
using Xunit;

namespace RxNet.Specs.Operators;

/// <summary>
/// <c>source.WriteTo(output)</c>: a connection input gets the output's <see cref="IConnectionOutput.Writable"/>
/// as its demand signal; a plain source goes through <c>ToConnectionInput()</c>, held while the output is not
/// writable, within a bound. Either way every notification reaches the output and disposing the handle unsubscribes.
/// </summary>
public sealed class WriteToSpecs
{
    [Fact]
    public void WriteTo_PausableSource_PassesTheOutputsWritableAsDemand()
    {
        var source = new FakePausableSource();
        var output = new FakeOutput();

        using var pipe = source.WriteTo(output);

        Assert.Equal(1, source.PausableSubscribeCount);
        Assert.Equal(0, source.PlainSubscribeCount);
        Assert.Same(output.Writable, source.CanProduce);
    }

    [Fact]
    public void WriteTo_PausableSource_SeesEveryWritabilityChange()
    {
        var source = new FakePausableSource();
        var output = new FakeOutput();
        using var pipe = source.WriteTo(output);

        output.SetWritable(false);
        output.SetWritable(true);

        Assert.Equal([true, false, true], source.DemandSeen);
    }

    [Fact]
    public void WriteTo_PausableSource_ForwardsChunksInOrderThenCompletion()
    {
        var source = new FakePausableSource();
        var output = new FakeOutput();
        using var pipe = source.WriteTo(output);

        source.Observer!.OnNext("ab"u8.ToArray());
        source.Observer.OnNext("cd"u8.ToArray());
        source.Observer.OnCompleted();

        Assert.Equal("abcd", output.Text);
        Assert.Equal(2, output.Writes.Count);
        Assert.Equal(1, output.CompletedCount);
        Assert.Null(output.Error);
    }

    [Fact]
    public void WriteTo_PausableSourceFails_AbortsTheOutputWithTheError()
    {
        var source = new FakePausableSource();
        var output = new FakeOutput();
        using var pipe = source.WriteTo(output);
        var error = new ConnectionResetException();

        source.Observer!.OnError(error);

        Assert.Same(error, output.Error);
        Assert.False(output.IsCompleted);
    }

    [Fact]
    public void WriteTo_DisposingThePausablePipe_UnsubscribesTheSourceAndItsDemand()
    {
        var source = new FakePausableSource();
        var output = new FakeOutput();
        var pipe = source.WriteTo(output);
        Assert.True(output.HasWritableObservers);

        pipe.Dispose();

        Assert.False(source.IsSubscribed);
        Assert.False(output.HasWritableObservers);
        Assert.False(output.IsCompleted);
    }

    [Fact]
    public void WriteTo_PlainSource_ForwardsEveryChunkThenCompletion()
    {
        var source = new Subject<ReadOnlyMemory<byte>>();
        var output = new FakeOutput();
        using var pipe = source.WriteTo(output);

        source.OnNext("hello "u8.ToArray());
        source.OnNext("world"u8.ToArray());
        source.OnCompleted();

        Assert.Equal("hello world", output.Text);
        Assert.Equal(1, output.CompletedCount);
    }

    [Fact]
    public void WriteTo_PlainSourceWhileTheOutputIsNotWritable_HoldsTheBytesAndWritesThemInOrderWhenItIs()
    {
        var source = new Subject<ReadOnlyMemory<byte>>();
        var output = new FakeOutput();
        using var pipe = source.WriteTo(output);

        output.SetWritable(false);
        source.OnNext("hello "u8.ToArray());
        source.OnNext("world"u8.ToArray());
        var whilePaused = output.Text;
        output.SetWritable(true);

        Assert.Equal("", whilePaused);
        Assert.Equal("hello world", output.Text);
    }

    [Fact]
    public void WriteTo_PlainSourcePushesPastTheBoundWhileTheOutputIsNotWritable_AbortsTheOutputWithInputOverflow()
    {
        var source = new Subject<ReadOnlyMemory<byte>>();
        var output = new FakeOutput();
        using var pipe = source.WriteTo(output);

        output.SetWritable(false);
        var block = new byte[64 * 1024];
        for (int i = 0; i < 17; i++) // 1 MiB and one block more
            source.OnNext(block);

        var overflow = Assert.IsType<InputOverflowException>(output.Error);
        Assert.Equal(ConnectionExtensions.DefaultMaxHeldInputBytes, overflow.Limit);
        Assert.Empty(output.Writes);
        Assert.False(source.HasObservers);
    }

    [Fact]
    public void WriteTo_ConnectionInputWhoseConsumerIsNotWritable_PausesThePeerInsteadOfHolding()
    {
        var connection = new FakeConnection();
        var output = new FakeOutput();
        using var pipe = connection.Input.WriteTo(output);

        output.SetWritable(false);
        connection.Input.Receive("waits in the kernel");
        var whilePaused = output.Text;
        output.SetWritable(true);

        Assert.Equal("", whilePaused);
        Assert.Equal("waits in the kernel", output.Text);
    }

    [Fact]
    public void WriteTo_PlainSourceFails_AbortsTheOutputWithTheError()
    {
        var source = new Subject<ReadOnlyMemory<byte>>();
        var output = new FakeOutput();
        using var pipe = source.WriteTo(output);
        var error = new IOException("broken");

        source.OnError(error);

        Assert.Same(error, output.Error);
    }

    [Fact]
    public void WriteTo_DisposingThePlainPipe_UnsubscribesTheSource()
    {
        var source = new Subject<ReadOnlyMemory<byte>>();
        var output = new FakeOutput();
        var pipe = source.WriteTo(output);
        Assert.True(source.HasObservers);

        pipe.Dispose();
        source.OnNext("late"u8.ToArray());

        Assert.False(source.HasObservers);
        Assert.Empty(output.Writes);
    }

    [Fact]
    public void WriteTo_NullSource_ThrowsArgumentNull()
    {
        var error = Assert.Throws<ArgumentNullException>(() => ConnectionExtensions.WriteTo(null!, new FakeOutput()));

        Assert.Equal("source", error.ParamName);
    }

    [Fact]
    public void WriteTo_NullOutput_ThrowsArgumentNullAndDoesNotSubscribe()
    {
        var source = new FakePausableSource();

        var error = Assert.Throws<ArgumentNullException>(() => source.WriteTo(null!));

        Assert.Equal("output", error.ParamName);
        Assert.False(source.IsSubscribed);
    }
}
