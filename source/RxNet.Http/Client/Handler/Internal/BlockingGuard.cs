using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace RxNet.Http.Client.Handler.Internal;

/// <summary>
/// Refuses a synchronous call that would block the thread its own answer needs: any thread when the agent's scheduler
/// runs in virtual time (only the blocked caller could advance it), and the scheduler's event-loop thread otherwise
/// (its timers, the agent's timeouts among them, would stop).
/// </summary>
/// <remarks>The event-loop thread is learned from a probe scheduled when the guard is made: the thread that runs it,
/// when that thread is not a thread-pool thread and the probe did not run inline. A pool-backed scheduler has no thread
/// of its own, so nothing is refused there. A blocking call made on the loop thread before the probe has run there (in
/// the same turn that made the handler) is not refused: the guard errs towards waiting, never towards refusing a call
/// that would have completed.</remarks>
internal sealed class BlockingGuard
{
    private const int Unknown = -1;

    private readonly bool _virtualTime;
    private readonly int _scheduling;
    private int _loopThread = Unknown;

    public BlockingGuard(IScheduler scheduler)
    {
        _virtualTime = IsVirtualTime(scheduler);
        if (_virtualTime)
            return; // nothing scheduled in virtual time: it would change what a spec's scheduler holds
        _scheduling = Environment.CurrentManagedThreadId;
        try
        {
            scheduler.Schedule(this, static (_, guard) =>
            {
                guard.Learn();
                return Disposable.Empty;
            });
        }
        catch (ObjectDisposedException)
        {
            // A stopped reactor: nothing runs there any more, so there is no loop thread to protect.
        }
        _scheduling = 0;
    }

    /// <summary>Throws when blocking the calling thread until <paramref name="what"/> completes cannot end.</summary>
    /// <param name="what">The blocking call, for the message.</param>
    /// <exception cref="InvalidOperationException">It would block forever.</exception>
    public void ThrowIfBlockingCannotEnd(string what)
    {
        if (_virtualTime)
        {
            throw new InvalidOperationException(
                $"{what} cannot wait for a response in virtual time: the agent's scheduler is a virtual-time scheduler (a TestScheduler), " +
                "and its clock moves only when the blocked thread advances it. Use SendAsync (GetAsync, ...), drive the scheduler, then read the task.");
        }
        if (Volatile.Read(ref _loopThread) == Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException(
                $"{what} was called on the reactor's event-loop thread, which runs the agent's timers and must not block. " +
                "Use SendAsync (GetAsync, ...) there, or call it from another thread.");
        }
    }

    private void Learn()
    {
        int thread = Environment.CurrentManagedThreadId;
        if (thread == _scheduling || Thread.CurrentThread.IsThreadPoolThread)
            return; // inline (an immediate scheduler), or a pool thread: no loop of its own
        Volatile.Write(ref _loopThread, thread);
    }

    /// <summary>Whether <paramref name="scheduler"/> is, or wraps, one of Rx's virtual-time schedulers (a wrapper such
    /// as a reactor's <c>CatchAndLog</c> hands out the inner scheduler as its stopwatch provider).</summary>
    private static bool IsVirtualTime(IScheduler scheduler) =>
        IsVirtualTimeType(scheduler.GetType()) || (scheduler.AsStopwatchProvider() is { } provider && IsVirtualTimeType(provider.GetType()));

    private static bool IsVirtualTimeType(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(VirtualTimeSchedulerBase<,>))
                return true;
        }
        return false;
    }
}
