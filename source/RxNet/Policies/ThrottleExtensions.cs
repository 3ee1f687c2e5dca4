using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxNet.Policies.Internal;

namespace RxNet;

/// <summary>
/// Caps how fast a connection reads and writes: Twisted's <c>ThrottlingFactory</c> (<c>readLimit</c>,
/// <c>writeLimit</c> in bytes per second) as an operator over a connection or a listener, paced by a scheduler.
/// </summary>
public static class ThrottleExtensions
{
    /// <summary>The connection, reading at most <paramref name="readBytesPerSecond"/> and writing at most
    /// <paramref name="writeBytesPerSecond"/>.</summary>
    /// <param name="connection">The connection; use only the returned one from now on.</param>
    /// <param name="readBytesPerSecond">The input's rate; 0 for unlimited.</param>
    /// <param name="writeBytesPerSecond">The output's rate; 0 for unlimited.</param>
    /// <param name="scheduler">Where the pacing is timed: the reactor's scheduler, a <c>TestScheduler</c> in specs.</param>
    /// <returns>The paced connection; <paramref name="connection"/> itself when both rates are 0.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> or <paramref name="scheduler"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rate is negative.</exception>
    /// <remarks>
    /// <para><b>Pacing.</b> Each throttled direction behaves like a link of that bandwidth: bytes are passed on
    /// in slices of at most a tenth of a second's worth (<c>rate / 10</c> bytes, at least 1), each once the time
    /// its bytes take at the rate has passed. In a busy period that starts at tick <c>t</c>, the slice that
    /// ends with the <c>n</c>-th byte passes at exactly <c>t + ceil(n × 10 000 000 / rate)</c> ticks, so
    /// <c>N</c> bytes take <c>N / rate</c> seconds whatever the chunking, and rounding never accumulates. After
    /// an idle spell, the next busy period starts when bytes come; no unused allowance is saved up (no bursts).</para>
    /// <para><b>Reading</b> pauses the connection's input (an <see cref="IConnectionInput"/>) while a slice's worth
    /// (at most 64 KiB) is held, so the peer is slowed by TCP flow control; a chunk is delivered as several slices,
    /// never copied. The input stays cold, unicast and pausable, and keeps its bytes between subscribers.</para>
    /// <para><b>Writing</b> copies each write into a queue that is passed to the connection's output at the
    /// rate, a slice at a time (a slice may join the ends of several writes); <c>OnCompleted</c> half-closes once the
    /// queue is empty; <c>OnError</c> and <see cref="IDisposable.Dispose"/> drop it and abort.
    /// <see cref="IConnectionOutput.PendingBytes"/> counts this queue (the connection's output counts, and bounds,
    /// what it has been handed); <see cref="IConnectionOutput.Writable"/> is false above 64 KiB queued here (true
    /// again below 32 KiB) or while the connection's output is not writable. An echo
    /// (<c>c.Input.Subscribe(c.Output)</c>) through a throttled connection stays bounded: reading pauses while
    /// the output it feeds is above its mark.</para>
    /// <para><see cref="IConnection.Closed"/> waits until the input has delivered its end. A subscriber of the input
    /// that throws aborts the connection, which closes with <see cref="ConnectionCloseReason.Error"/>.</para>
    /// <para>Unlike Twisted's factory, whose limits are shared by all its connections, the rates are per
    /// connection.</para>
    /// </remarks>
    public static IConnection Throttle(this IConnection connection, long readBytesPerSecond, long writeBytesPerSecond, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentOutOfRangeException.ThrowIfNegative(readBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(writeBytesPerSecond);
        return readBytesPerSecond == 0 && writeBytesPerSecond == 0
            ? connection
            : new ThrottledConnection(connection, readBytesPerSecond, writeBytesPerSecond, scheduler);
    }

    /// <summary>Every connection the listener accepts, with <see cref="Throttle"/> applied, each at its own rates.</summary>
    /// <param name="listener">Accepted connections, typically <c>endpoint.Listen()</c>.</param>
    /// <param name="readBytesPerSecond">Each input's rate; 0 for unlimited.</param>
    /// <param name="writeBytesPerSecond">Each output's rate; 0 for unlimited.</param>
    /// <param name="scheduler">Where the pacing is timed: the reactor's scheduler, a <c>TestScheduler</c> in specs.</param>
    /// <returns>The listener's connections, paced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="listener"/> or <paramref name="scheduler"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rate is negative.</exception>
    public static IObservable<IConnection> WithThrottle(this IObservable<IConnection> listener, long readBytesPerSecond, long writeBytesPerSecond, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentOutOfRangeException.ThrowIfNegative(readBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(writeBytesPerSecond);
        return listener.Select(connection => connection.Throttle(readBytesPerSecond, writeBytesPerSecond, scheduler));
    }
}
