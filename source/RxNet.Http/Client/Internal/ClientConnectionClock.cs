using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace RxNet.Http.Client.Internal;

/// <summary>
/// Every timeout of one client connection on one lazily armed scheduler item, as the server's connection clock does:
/// a request sets its deadlines by writing numbers, and nothing is scheduled unless a deadline comes sooner than the
/// one already armed.
/// </summary>
/// <remarks>
/// <para><b>Deadlines.</b> <see cref="Start"/> sets a timeout's deadline to now plus its length (a length of
/// <see cref="Timeout.InfiniteTimeSpan"/> clears it), <see cref="Stop"/> clears it. A deadline fires exactly at its
/// tick: the armed item, when it comes before any deadline (the one it was armed for was cleared or moved), re-arms
/// itself for the earliest one left.</para>
/// <para><b>Cost.</b> In the steady state of a keep-alive connection (request deadlines later than the armed one)
/// a request schedules nothing; the armed item fires about once per shortest timeout, finds nothing due, and
/// re-arms.</para>
/// <para><b>Threading.</b> Any thread (one lock). <c>expired</c> runs on the scheduler, outside the lock, once per
/// deadline that passed, in the order of <see cref="ClientTimeout"/>; the caller checks it is still relevant (a
/// deadline may be cleared while its expiry is on its way). Nothing starts after <see cref="Dispose"/> returns.</para>
/// </remarks>
internal sealed class ClientConnectionClock(IScheduler scheduler, Action<ClientTimeout> expired) : IDisposable
{
    private const int Count = (int)ClientTimeout.PoolIdle + 1;
    private readonly Lock _gate = new();
    private readonly long[] _deadlines = [long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue];
    private IDisposable _timer = Disposable.Empty;
    private long _armedAt = long.MaxValue;
    private long _generation;
    private bool _done;

    private long Now => scheduler.Now.UtcTicks;

    /// <summary>Sets <paramref name="timeout"/>'s deadline to <paramref name="length"/> from now.</summary>
    /// <param name="timeout">Which.</param>
    /// <param name="length">How long; <see cref="Timeout.InfiniteTimeSpan"/> for never.</param>
    public void Start(ClientTimeout timeout, TimeSpan length)
    {
        if (length == Timeout.InfiniteTimeSpan)
        {
            Stop(timeout);
            return;
        }
        lock (_gate)
        {
            if (_done)
                return;
            long now = Now;
            long ticks = Math.Max(0, length.Ticks);
            _deadlines[(int)timeout] = ticks >= long.MaxValue - now ? long.MaxValue : now + ticks;
            Arm(now);
        }
    }

    /// <summary>Clears <paramref name="timeout"/>'s deadline (the armed item, if it was for it, re-arms when it comes).</summary>
    /// <param name="timeout">Which.</param>
    public void Stop(ClientTimeout timeout)
    {
        lock (_gate)
            _deadlines[(int)timeout] = long.MaxValue;
    }

    /// <summary>Clears the deadlines of one exchange (every timeout but <see cref="ClientTimeout.PoolIdle"/>).</summary>
    public void StopExchange()
    {
        lock (_gate)
            Array.Fill(_deadlines, long.MaxValue, 0, (int)ClientTimeout.PoolIdle);
    }

    /// <summary>Cancels the armed item; no <c>expired</c> starts after this returns. Idempotent.</summary>
    public void Dispose()
    {
        IDisposable timer;
        lock (_gate)
        {
            _done = true;
            timer = _timer;
            _timer = Disposable.Empty;
            _armedAt = long.MaxValue;
        }
        timer.Dispose();
    }

    /// <summary>Arms the item for the earliest deadline when that is sooner than the armed one. Under the lock.</summary>
    private void Arm(long now)
    {
        long due = long.MaxValue;
        foreach (long deadline in _deadlines)
            due = Math.Min(due, deadline);
        if (due >= _armedAt)
            return;
        _timer.Dispose();
        _armedAt = due;
        // Relative, as the server's clock: a user's EventLoopScheduler queues absolute times past its own disposal.
        _timer = scheduler.Schedule((Clock: this, Generation: ++_generation), TimeSpan.FromTicks(Math.Max(0, due - now)), static (_, item) =>
        {
            item.Clock.Fire(item.Generation);
            return Disposable.Empty;
        });
    }

    private void Fire(long generation)
    {
        int due = 0;
        lock (_gate)
        {
            if (_done || generation != _generation)
                return; // replaced while it was on its way
            _armedAt = long.MaxValue;
            _timer = Disposable.Empty;
            long now = Now;
            for (int i = 0; i < Count; i++)
            {
                if (_deadlines[i] <= now)
                {
                    due |= 1 << i;
                    _deadlines[i] = long.MaxValue;
                }
            }
            Arm(now);
        }
        for (int i = 0; i < Count; i++)
        {
            if ((due & (1 << i)) != 0)
                expired((ClientTimeout)i);
        }
    }
}
