namespace RxNet;

/// <summary>A local address to bind a datagram socket to, such as <c>udp:9999</c>.</summary>
public interface IDatagramEndpoint
{
    /// <summary>
    /// Binds while subscribed: subscribing binds and emits the socket once; disposing the subscription
    /// unbinds (as disposing the socket does).
    /// </summary>
    /// <returns>A cold observable of one socket; it fails if binding fails, for example when the port is in use.</returns>
    IObservable<IDatagramSocket> Bind();
}
