using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text;
using Microsoft.Reactive.Testing;
using Xunit;

namespace RxNet.Specs.Operators;

/// <summary>
/// <c>source.ToConnectionInput(limit)</c>: the one adapter from a plain observable of bytes to an
/// <see cref="IConnectionInput"/>. While its consumer's demand is off it holds what the source pushes, in order, up to
/// the limit, and fails with <see cref="InputOverflowException"/> past it.
/// </summary>
public sealed class ToConnectionInputSpecs : ReactiveTest
{
    [Fact]
    public void ToConnectionInput_DemandOffThenOn_DeliversEveryHeldByteInOrderWhenDemandReturns()
    {
        var scheduler = new TestScheduler();
        var source = scheduler.CreateHotObservable(
            OnNext(210, Chunk("ab")),
            OnNext(310, Chunk("cd")),
            OnNext(320, Chunk("ef")),
            OnNext(410, Chunk("gh")),
            OnCompleted<ReadOnlyMemory<byte>>(420));
        var demand = scheduler.CreateHotObservable(OnNext(300, false), OnNext(400, true));
        var got = new List<(long At, string Text)>();
        long completedAt = 0;

        using var subscription = source.ToConnectionInput(maxHeldBytes: 16).Subscribe(
            Observer(chunk => got.Add((scheduler.Clock, Encoding.ASCII.GetString(chunk.Span))), () => completedAt = scheduler.Clock),
            demand);
        scheduler.Start();

        Assert.Equal([(210, "ab"), (400, "cd"), (400, "ef"), (410, "gh")], got);
        Assert.Equal(420, completedAt);
    }

    [Fact]
    public void ToConnectionInput_SourceCompletesWhilePaused_CompletesOnlyAfterTheHeldBytes()
    {
        var scheduler = new TestScheduler();
        var source = scheduler.CreateHotObservable(OnNext(310, Chunk("last")), OnCompleted<ReadOnlyMemory<byte>>(320));
        var demand = scheduler.CreateHotObservable(OnNext(300, false), OnNext(500, true));
        var events = new List<string>();

        using var subscription = source.ToConnectionInput(maxHeldBytes: 16).Subscribe(
            Observer(chunk => events.Add($"{scheduler.Clock}:{Encoding.ASCII.GetString(chunk.Span)}"), () => events.Add($"{scheduler.Clock}:end")),
            demand);
        scheduler.Start();

        Assert.Equal(["500:last", "500:end"], events);
    }

    [Fact]
    public void ToConnectionInput_HeldBytesPassTheLimit_FailsWithInputOverflowAndUnsubscribesTheSource()
    {
        var source = new Subject<ReadOnlyMemory<byte>>();
        var demand = new BehaviorSubject<bool>(false);
        var got = new List<string>();
        Exception? error = null;

        using var subscription = source.ToConnectionInput(maxHeldBytes: 8).Subscribe(
            System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(chunk => got.Add(Encoding.ASCII.GetString(chunk.Span)), e => error = e),
            demand);
        source.OnNext(Chunk("1234"));
        source.OnNext(Chunk("5678")); // exactly at the limit: still held
        var beforeOverflow = error;
        source.OnNext(Chunk("9"));
        demand.OnNext(true);

        Assert.Null(beforeOverflow);
        var overflow = Assert.IsType<InputOverflowException>(error);
        Assert.Equal(8, overflow.Limit);
        Assert.Equal(9, overflow.Held);
        Assert.Contains("at most 8 are held", overflow.Message, StringComparison.Ordinal);
        Assert.Empty(got);
        Assert.False(source.HasObservers);
    }

    [Fact]
    public void ToConnectionInput_DemandOn_PassesChunksStraightThroughWhateverTheirSize()
    {
        var source = new Subject<ReadOnlyMemory<byte>>();
        var got = new List<int>();
        Exception? error = null;

        using var subscription = source.ToConnectionInput(maxHeldBytes: 4).Subscribe(
            System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(chunk => got.Add(chunk.Length), e => error = e),
            new BehaviorSubject<bool>(true));
        source.OnNext(new byte[100]);
        source.OnNext(new byte[100]);

        Assert.Null(error);
        Assert.Equal([100, 100], got);
    }

    [Fact]
    public void ToConnectionInput_PlainSubscribe_NeverPauses()
    {
        var got = new List<string>();

        using var subscription = new[] { Chunk("a"), Chunk("b") }.ToObservable().ToConnectionInput(maxHeldBytes: 1)
            .Subscribe(chunk => got.Add(Encoding.ASCII.GetString(chunk.Span)));

        Assert.Equal(["a", "b"], got);
    }

    [Fact]
    public void ToConnectionInput_ConsumerPausesFromInsideOnNext_HoldsTheRestUntilItAsksAgain()
    {
        var source = new Subject<ReadOnlyMemory<byte>>();
        var demand = new BehaviorSubject<bool>(true);
        var got = new List<string>();
        using var subscription = source.ToConnectionInput(maxHeldBytes: 16).Subscribe(
            System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(chunk =>
            {
                got.Add(Encoding.ASCII.GetString(chunk.Span));
                demand.OnNext(false); // one chunk at a time
            }),
            demand);

        source.OnNext(Chunk("a"));
        source.OnNext(Chunk("b"));
        source.OnNext(Chunk("c"));
        var whilePaused = got.ToArray();
        demand.OnNext(true);
        demand.OnNext(true);

        Assert.Equal(["a"], whilePaused);
        Assert.Equal(["a", "b", "c"], got);
    }

    [Fact]
    public void ToConnectionInput_Disposed_UnsubscribesTheSourceAndDropsWhatWasHeld()
    {
        var source = new Subject<ReadOnlyMemory<byte>>();
        var demand = new BehaviorSubject<bool>(false);
        var got = new List<string>();
        var subscription = source.ToConnectionInput(maxHeldBytes: 16).Subscribe(
            System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(chunk => got.Add(Encoding.ASCII.GetString(chunk.Span))), demand);
        source.OnNext(Chunk("held"));

        subscription.Dispose();
        demand.OnNext(true);

        Assert.False(source.HasObservers);
        Assert.False(demand.HasObservers);
        Assert.Empty(got);
    }

    [Fact]
    public void ToConnectionInput_DefaultLimit_IsOneMebibyte()
    {
        var source = new Subject<ReadOnlyMemory<byte>>();
        Exception? error = null;
        using var subscription = source.ToConnectionInput().Subscribe(
            System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(_ => { }, e => error = e), new BehaviorSubject<bool>(false));

        source.OnNext(new byte[1024 * 1024]);
        var atTheLimit = error;
        source.OnNext(new byte[1]);

        Assert.Equal(1024 * 1024, ConnectionExtensions.DefaultMaxHeldInputBytes);
        Assert.Null(atTheLimit);
        Assert.Equal(1024 * 1024, Assert.IsType<InputOverflowException>(error).Limit);
    }

    [Fact]
    public void ToConnectionInput_NullSource_ThrowsArgumentNull()
    {
        var error = Assert.Throws<ArgumentNullException>(() => ConnectionExtensions.ToConnectionInput(null!));

        Assert.Equal("source", error.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ToConnectionInput_LimitNotPositive_ThrowsArgumentOutOfRange(int limit)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Observable.Never<ReadOnlyMemory<byte>>().ToConnectionInput(limit));

        Assert.Equal("maxHeldBytes", error.ParamName);
    }

    private static ReadOnlyMemory<byte> Chunk(string text) => Encoding.ASCII.GetBytes(text);

    private static IObserver<ReadOnlyMemory<byte>> Observer(Action<ReadOnlyMemory<byte>> onNext, Action onCompleted) =>
        System.Reactive.Observer.Create(onNext, e => throw e, onCompleted);
}
