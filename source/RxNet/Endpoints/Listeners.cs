using RxNet.Endpoints.Internal;

namespace RxNet;

/// <summary>For transport authors: the one rule every <see cref="IServerEndpoint.Listen"/> keeps about sharing.</summary>
public static class Listeners
{
    /// <summary>
    /// Makes a listener allow one subscription at a time: a second concurrent subscription fails at once with an
    /// <see cref="InvalidOperationException"/> that says to share the listener with <c>Publish()</c>, instead of
    /// binding a second time.
    /// </summary>
    /// <param name="listen">The observable a <c>Listen</c> call returns: each subscription binds, its disposal unbinds.</param>
    /// <param name="endpoint">The endpoint, for the message (its description, such as <c>tcp:0</c>).</param>
    /// <returns>The same listener, exclusive.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="listen"/> or <paramref name="endpoint"/> is null.</exception>
    /// <remarks>
    /// <para><b>Why.</b> Several queries over one listener would each bind: on port 0, each on a port of its own,
    /// silently, so clients reach only one of them; on a fixed port, the second fails with "address in use". The
    /// error says what to do instead: <c>listener.Publish().RefCount()</c> shares one binding among any number of
    /// queries.</para>
    /// <para><b>Resubscribing.</b> The slot is free again as soon as the subscription ends: after its disposal (once
    /// the listener underneath is disposed, so a fixed port is unbound first), after an error or completion (before
    /// it is delivered, so <c>Retry()</c> binds again from inside <c>OnError</c>).</para>
    /// <para>Each call of <c>Listen</c> is a listener of its own: calling it twice binds twice on purpose (as a
    /// <c>SO_REUSEPORT</c> group would).</para>
    /// </remarks>
    public static IObservable<IConnection> Exclusive(IObservable<IConnection> listen, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(endpoint);
        return new ExclusiveListener(listen, endpoint);
    }
}
