using System.Reactive.Subjects;
using RxNet.Specs.Fakes;
using Xunit;

namespace RxNet.Specs.Operators;

/// <summary>
/// <c>source.WriteTo(output)</c>: a pausable source gets the output's <see cref="IConnectionOutput.Writable"/>
/// as its demand signal; any other source is subscribed as it is. Either way every notification
/// reaches the output and disposing the handle unsubscribes.
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
    public void WriteTo_PlainSource_SubscribesTheOutputDirectly()
    {
        var source = new Subject<ReadOnlyMemory<byte>>();
        var output = new FakeOutput();
        using var pipe = source.WriteTo(output);

        source.OnNext("hello "u8.ToArray());
        source.OnNext("world"u8.ToArray());
        source.OnCompleted();

        Assert.Equal("hello world", output.Text);
        Assert.Equal(1, output.CompletedCount);
        Assert.False(output.HasWritableObservers);
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
