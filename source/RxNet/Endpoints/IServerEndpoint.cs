using System.Net;

namespace RxNet;

/// <summary>A place to accept connections: Twisted's <c>IStreamServerEndpoint</c> as an observable.</summary>
public interface IServerEndpoint
{
    /// <summary>
    /// Listens while subscribed: subscribing binds, every accepted connection is an <c>OnNext</c>,
    /// disposing the subscription unbinds. Connections already accepted live on until they close.
    /// </summary>
    /// <param name="onListening">Called once per subscription with the bound address (the real port
    /// when port 0 was asked for), before the first connection is accepted.</param>
    /// <returns>A cold observable of accepted connections; it fails if binding fails.</returns>
    /// <remarks>
    /// <para>Each emitted connection belongs to the subscriber, who must eventually close or
    /// dispose it. If the subscriber's <c>OnNext</c> throws, that connection is aborted and the error
    /// is logged; listening goes on.</para>
    /// <para><b>One subscription at a time.</b> A second concurrent subscription to the returned observable fails at
    /// once with an <see cref="InvalidOperationException"/> (it would bind a second time); share one listener among
    /// several queries with <c>Publish()</c>, for example <c>listener.Publish().RefCount()</c>. Subscribing again
    /// after the previous subscription ended (disposed, failed, as <c>Retry()</c> does) binds again; calling
    /// <c>Listen</c> again gives a listener of its own. Implementations keep this with
    /// <see cref="Listeners.Exclusive"/>.</para>
    /// </remarks>
    IObservable<IConnection> Listen(Action<EndPoint>? onListening = null);
}
