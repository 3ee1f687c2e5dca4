using System.Reactive.Disposables;

namespace RxNet.Sockets.Internal;

/// <summary>
/// One item queued on a <see cref="ReactorLoop"/>: its due time, its place in the loop's timer heap, and the race
/// between running it and disposing it. Disposing it before it runs takes it out of the loop's queue and lets go of
/// its action and state at once (what <c>EventLoopScheduler</c> keeps until the item falls due); disposing it after it
/// ran disposes what its action returned.
/// </summary>
internal abstract class ReactorWork : IDisposable
{
    private const int Pending = 0;
    private const int Started = 1;
    private const int Cancelled = 2;

    // Stands in the result slot once the item is disposed, so a result that arrives later is disposed at once.
    private static readonly IDisposable DisposedMark = Disposable.Create(static () => { });

    private int _phase;
    private IDisposable? _result;

    protected ReactorWork(ReactorLoop loop) => Loop = loop;

    /// <summary>The loop it is queued on, handed to the action as its scheduler.</summary>
    protected ReactorLoop Loop { get; }

    /// <summary>When the item falls due, in <see cref="ReactorClock.ElapsedTicks"/>; set by the loop as it queues
    /// the item.</summary>
    public long Due { get; set; }

    /// <summary>The order in which the loop queued it: of two items due at the same tick, the earlier runs
    /// first.</summary>
    public long Sequence { get; set; }

    /// <summary>Its slot in the loop's <see cref="TimerHeap"/>, or -1 when it is not in the heap.</summary>
    public int HeapIndex { get; set; } = -1;

    /// <summary>Whether this item runs before <paramref name="other"/>: sooner due, or queued first.</summary>
    public bool Precedes(ReactorWork other) => Due < other.Due || (Due == other.Due && Sequence < other.Sequence);

    /// <summary>Runs the item on the loop's thread, unless it was disposed first.</summary>
    public void Run()
    {
        if (Interlocked.CompareExchange(ref _phase, Started, Pending) != Pending)
            return;
        IDisposable result = Invoke();
        if (Interlocked.CompareExchange(ref _result, result, null) is not null)
            result.Dispose(); // disposed while it ran
    }

    /// <summary>Cancels the item if it has not started (it leaves the loop's queue and drops its action and state),
    /// otherwise disposes what its action returned. Safe from any thread, any number of times.</summary>
    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _phase, Cancelled, Pending) == Pending)
        {
            Loop.Remove(this);
            Forget();
        }
        else
        {
            Interlocked.Exchange(ref _result, DisposedMark)?.Dispose();
        }
    }

    /// <summary>Runs the action once; lets go of the action and its state when it returns or throws.</summary>
    protected abstract IDisposable Invoke();

    /// <summary>Lets go of the action and its state without running them.</summary>
    protected abstract void Forget();
}
