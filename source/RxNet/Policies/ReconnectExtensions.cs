using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxNet.Policies.Internal;

namespace RxNet;

/// <summary>
/// Reconnecting clients over any <see cref="IClientEndpoint"/>: connect, hand over the connection, wait
/// for it to close, wait a <see cref="Backoff"/> delay, connect again. Twisted's <c>ClientService</c> and
/// <c>ReconnectingClientFactory</c> as Rx operators.
/// </summary>
public static class ReconnectExtensions
{
    /// <summary>
    /// Keeps one connection to <paramref name="endpoint"/> up while subscribed: emits each connection as it
    /// is made, and after it closes (or an attempt fails) connects again after the next delay of
    /// <paramref name="backoff"/>.
    /// </summary>
    /// <param name="endpoint">Where to connect.</param>
    /// <param name="backoff">The delays between attempts, for example <see cref="Backoff.ClientService"/>.</param>
    /// <param name="scheduler">Where the delays are timed: the reactor's scheduler (<c>reactor.Scheduler</c>),
    /// a <c>TestScheduler</c> in specs.</param>
    /// <param name="random">The jitter's source; a seeded one replays the same delays. <see cref="Random.Shared"/> when omitted.</param>
    /// <returns>A cold observable: each subscription runs its own loop, starting with a connect at once.
    /// It never completes while it can still reconnect; once <see cref="Backoff.MaxRetries"/> are used up
    /// it fails with the last attempt's error (or completes, when the limit is 0 and a connection was lost).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>
    /// <para>Every failure is retried, whatever its type: refusals, timeouts, resets, clean closes by the peer.
    /// A connection made resets the schedule, so the wait after losing it is the first delay again
    /// (<see cref="Backoff.InitialDelay"/> × <see cref="Backoff.Factor"/>, jittered), as <c>ClientService</c> does.</para>
    /// <para><b>Ownership.</b> The loop owns the connections it makes: disposing the subscription stops
    /// connecting (a pending attempt is cancelled, a pending retry never fires) and aborts the current
    /// connection (<see cref="IDisposable.Dispose"/>, a reset). To close gracefully, complete the
    /// connection's <see cref="IConnection.Output"/>, wait for its <see cref="IConnection.Closed"/>, then
    /// dispose the subscription (the retry it scheduled is cancelled). Closing the connection yourself does
    /// not stop the loop: it reconnects.</para>
    /// <para><b>Threading.</b> A connection arrives on the endpoint's thread (an I/O thread for sockets); the
    /// retries start on <paramref name="scheduler"/>. Notifications never overlap. The subscriber must not
    /// throw (Rx's rule): if it does, the exception goes back to whoever delivered the event, as with any Rx
    /// operator (the socket transport logs it and fails that connection), and the subscription ends, which
    /// stops the loop and aborts the connection.</para>
    /// <para>Use <see cref="ReconnectStates"/> to see the whole life of the loop (attempts, waits, the give-up).</para>
    /// </remarks>
    public static IObservable<IConnection> Reconnecting(this IClientEndpoint endpoint, Backoff backoff, IScheduler scheduler, Random? random = null) =>
        endpoint.ReconnectStates(backoff, scheduler, random)
            .Where(state => state.Status == ReconnectStatus.Connected)
            .Select(state => state.Connection!);

    /// <summary>
    /// The reconnecting loop of <see cref="Reconnecting"/>, seen as its state changes: <c>Connecting</c>,
    /// then <c>Connected</c> (with the connection) or <c>WaitingToRetry</c> (with the delay and the error),
    /// and so on; <c>GaveUp</c> last, if the retries run out.
    /// </summary>
    /// <param name="endpoint">Where to connect.</param>
    /// <param name="backoff">The delays between attempts.</param>
    /// <param name="scheduler">Where the delays are timed.</param>
    /// <param name="random">The jitter's source; <see cref="Random.Shared"/> when omitted.</param>
    /// <returns>A cold observable: each subscription runs its own loop (the same one as
    /// <see cref="Reconnecting"/>), whose first state, <c>Connecting</c> with attempt 0, is emitted during
    /// <c>Subscribe</c>. After <c>GaveUp</c> it fails with the last attempt's error, or completes after a lost
    /// connection.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>
    /// <para>Each state is emitted at the instant it begins: <c>WaitingToRetry</c> when the attempt fails or
    /// the connection closes, <c>Connecting</c> when the delay is over. Disposing the subscription stops the loop
    /// and aborts the current connection, as for <see cref="Reconnecting"/>.</para>
    /// <para><b>When connected.</b> Twisted's <c>ClientService.whenConnected()</c> is the first <c>Connected</c>
    /// state of a shared, replayed loop: with <c>var states = endpoint.ReconnectStates(...).Replay(1);</c>
    /// and <c>states.Connect()</c>, <c>states.FirstAsync(s =&gt; s.Status == ReconnectStatus.Connected)</c> gives the
    /// current connection at once, or the next one when it is made, and fails if the loop gives up first.
    /// <c>states.Select(s =&gt; s.Connection)</c> is the current connection, or <see langword="null"/> while there is none.</para>
    /// </remarks>
    public static IObservable<ReconnectState> ReconnectStates(this IClientEndpoint endpoint, Backoff backoff, IScheduler scheduler, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(backoff);
        ArgumentNullException.ThrowIfNull(scheduler);
        return Observable.Create<ReconnectState>(observer =>
        {
            var loop = new ReconnectLoop(endpoint, new BackoffSchedule(backoff, random ?? Random.Shared), scheduler, observer);
            loop.Start();
            return loop;
        });
    }
}
