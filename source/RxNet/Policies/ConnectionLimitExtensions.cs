using System.Reactive.Linq;

namespace RxNet;

/// <summary>
/// Caps how many connections a listener keeps open, in total and per peer: Twisted's
/// <c>LimitTotalConnectionsFactory</c> and <c>LimitConnectionsByPeer</c> as a listener operator.
/// </summary>
public static class ConnectionLimitExtensions
{
    /// <summary>
    /// The listener's connections, refusing (aborting at once) those above <paramref name="maxConnections"/> open
    /// in total or <paramref name="maxConnectionsPerPeer"/> open from one peer.
    /// </summary>
    /// <param name="listener">Accepted connections, typically <c>endpoint.Listen()</c>.</param>
    /// <param name="maxConnections">The most connections open at once; <see cref="int.MaxValue"/> for no total limit.</param>
    /// <param name="maxConnectionsPerPeer">The most connections open at once from one peer address; 5 by default
    /// (Twisted's <c>LimitConnectionsByPeer</c>).</param>
    /// <returns>The admitted connections.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="listener"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is below 1.</exception>
    /// <remarks>One <see cref="ConnectionLimiter"/> is made for the returned observable and shared by its
    /// subscriptions. To read the counts or watch refusals, make the limiter yourself and use
    /// <see cref="LimitConnections(IObservable{IConnection}, ConnectionLimiter, Action{IConnection}?)"/>.</remarks>
    public static IObservable<IConnection> LimitConnections(this IObservable<IConnection> listener, int maxConnections,
        int maxConnectionsPerPeer = ConnectionLimiter.DefaultMaxConnectionsPerPeer)
    {
        ArgumentNullException.ThrowIfNull(listener);
        return listener.LimitConnections(new ConnectionLimiter(maxConnections, maxConnectionsPerPeer));
    }

    /// <summary>The listener's connections that <paramref name="limiter"/> admits; the others are refused.</summary>
    /// <param name="listener">Accepted connections, typically <c>endpoint.Listen()</c>.</param>
    /// <param name="limiter">The limits and counts; may be shared by several listeners.</param>
    /// <param name="refuse">What to do with a refused connection, which it then owns; when omitted, the connection
    /// is aborted at once (<see cref="IDisposable.Dispose"/>: the peer sees a reset, nothing is read or sent).</param>
    /// <returns>The admitted connections, each counted from the instant it is emitted until it closes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="listener"/> or <paramref name="limiter"/> is null.</exception>
    /// <remarks>
    /// <para>Twisted drops a refused connection by closing its socket at once; an abort is the same here and
    /// costs nothing however many connections a hostile peer opens. A polite refusal (Twisted's
    /// <c>overflowProtocol</c>) is a <paramref name="refuse"/> that writes a message and completes the output;
    /// such connections are not counted, so bound them yourself (for example with
    /// <see cref="IdleTimeoutExtensions.IdleTimeout(IConnection, TimeSpan, System.Reactive.Concurrency.IScheduler)"/>).</para>
    /// <para>If <paramref name="refuse"/> throws, the exception reaches the listener, which aborts that
    /// connection and goes on.</para>
    /// </remarks>
    public static IObservable<IConnection> LimitConnections(this IObservable<IConnection> listener, ConnectionLimiter limiter, Action<IConnection>? refuse = null)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(limiter);
        refuse ??= static connection => connection.Dispose();
        return Observable.Create<IConnection>(observer => listener.Subscribe(
            connection =>
            {
                if (limiter.TryAdmit(connection))
                    observer.OnNext(connection);
                else
                    refuse(connection);
            },
            observer.OnError,
            observer.OnCompleted));
    }
}
