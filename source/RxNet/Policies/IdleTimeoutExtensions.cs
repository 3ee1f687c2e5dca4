using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxNet.Policies.Internal;

namespace RxNet;

/// <summary>
/// Closes connections that carry no bytes for a while: Twisted's <c>TimeoutMixin</c> and <c>TimeoutFactory</c>
/// as operators over a connection or a listener, timed by a scheduler.
/// </summary>
public static class IdleTimeoutExtensions
{
    /// <summary>
    /// The connection, closed once no byte has moved in either direction for <paramref name="period"/>; its
    /// <see cref="IConnection.Closed"/> then reports <see cref="ConnectionCloseReason.Timeout"/>.
    /// </summary>
    /// <param name="connection">The connection to watch; use only the returned one from now on.</param>
    /// <param name="period">How long the connection may stay idle. Must be above zero.</param>
    /// <param name="scheduler">Where the timer runs: the reactor's scheduler, a <c>TestScheduler</c> in specs.</param>
    /// <returns>The same connection, watched (see <see cref="IdleTimeout(IConnection, IdleTimeoutOptions, IScheduler)"/>).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is not above zero.</exception>
    public static IConnection IdleTimeout(this IConnection connection, TimeSpan period, IScheduler scheduler) =>
        connection.IdleTimeout(new IdleTimeoutOptions { Period = period }, scheduler);

    /// <summary>
    /// The connection, closed once no byte has moved in either direction for <see cref="IdleTimeoutOptions.Period"/>;
    /// its <see cref="IConnection.Closed"/> then reports <see cref="ConnectionCloseReason.Timeout"/>.
    /// </summary>
    /// <param name="connection">The connection to watch; use only the returned one from now on.</param>
    /// <param name="options">The period and the grace before an abort.</param>
    /// <param name="scheduler">Where the timer runs: the reactor's scheduler, a <c>TestScheduler</c> in specs.</param>
    /// <returns>A connection with the same input, output and endpoints, whose <see cref="IConnection.Closed"/>
    /// reports <see cref="ConnectionCloseReason.Timeout"/> (with a <see cref="TimeoutException"/> saying how
    /// long it was idle) when the timeout closed it.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="IdleTimeoutOptions.Validate"/>).</exception>
    /// <remarks>
    /// <para><b>Activity.</b> The clock starts now. A chunk delivered to the input's subscriber, and a non-empty
    /// write to the output, each restart it (Twisted's <c>resetTimeout</c> in <c>dataReceived</c> and
    /// <c>write</c>). Bytes that wait unread because nobody subscribes to the input do not count: they are not
    /// seen until read.</para>
    /// <para><b>Closing.</b> When the period passes with no activity, the output is completed (what is queued
    /// is sent, then FIN), as Twisted's <c>timeoutConnection</c> calls <c>loseConnection</c>: the peer's input
    /// completes. If the connection has not closed <see cref="IdleTimeoutOptions.AbortAfter"/> later (the peer
    /// does not close its side, or does not read), it is aborted: the peer sees a reset, and this side's input
    /// fails with a <see cref="ConnectionAbortedException"/> whose inner exception is the
    /// <see cref="TimeoutException"/>. A connection whose output was already completed is aborted at once.</para>
    /// <para><b>Exact timing.</b> The close happens on the scheduler exactly <c>Period</c> after the last
    /// activity, never before: one timer per connection, re-armed lazily when it fires early (activity does not
    /// touch the scheduler).</para>
    /// <para><b>Contract.</b> The returned connection keeps the <see cref="IConnection"/> contract of the one it
    /// wraps: the input is the same cold, unicast, pausable stream (so
    /// <see cref="ConnectionExtensions.WriteTo(IConnectionInput, IConnectionOutput)"/> and the
    /// automatic pause of an echo still work), the output the same copying output with its
    /// <see cref="IConnectionOutput.Writable"/> and <see cref="IConnectionOutput.PendingBytes"/>, and
    /// <see cref="IDisposable.Dispose"/> aborts. The timer is released when the connection closes.</para>
    /// </remarks>
    public static IConnection IdleTimeout(this IConnection connection, IdleTimeoutOptions options, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scheduler);
        options.Validate();
        return new IdleTimeoutConnection(connection, options, scheduler);
    }

    /// <summary>Every connection the listener accepts, with <see cref="IdleTimeout(IConnection, TimeSpan, IScheduler)"/>
    /// applied (Twisted's <c>TimeoutFactory</c>).</summary>
    /// <param name="listener">Accepted connections, typically <c>endpoint.Listen()</c>.</param>
    /// <param name="period">How long a connection may stay idle. Must be above zero.</param>
    /// <param name="scheduler">Where the timers run: the reactor's scheduler, a <c>TestScheduler</c> in specs.</param>
    /// <returns>The listener's connections, each watched from the instant it is accepted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is not above zero.</exception>
    public static IObservable<IConnection> WithIdleTimeout(this IObservable<IConnection> listener, TimeSpan period, IScheduler scheduler) =>
        listener.WithIdleTimeout(new IdleTimeoutOptions { Period = period }, scheduler);

    /// <summary>Every connection the listener accepts, with <see cref="IdleTimeout(IConnection, IdleTimeoutOptions, IScheduler)"/>
    /// applied (Twisted's <c>TimeoutFactory</c>).</summary>
    /// <param name="listener">Accepted connections, typically <c>endpoint.Listen()</c>.</param>
    /// <param name="options">The period and the grace before an abort.</param>
    /// <param name="scheduler">Where the timers run: the reactor's scheduler, a <c>TestScheduler</c> in specs.</param>
    /// <returns>The listener's connections, each watched from the instant it is accepted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="IdleTimeoutOptions.Validate"/>).</exception>
    public static IObservable<IConnection> WithIdleTimeout(this IObservable<IConnection> listener, IdleTimeoutOptions options, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scheduler);
        options.Validate();
        return listener.Select(connection => (IConnection)new IdleTimeoutConnection(connection, options, scheduler));
    }
}
