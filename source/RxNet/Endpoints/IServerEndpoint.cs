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
    /// <remarks>Each emitted connection belongs to the subscriber, who must eventually close or
    /// dispose it. If the subscriber's <c>OnNext</c> throws, that connection is aborted and the error
    /// is logged; listening goes on.</remarks>
    IObservable<IConnection> Listen(Action<EndPoint>? onListening = null);
}
