namespace RxNet;

/// <summary>A place to connect to: Twisted's <c>IStreamClientEndpoint</c> as an observable.</summary>
public interface IClientEndpoint
{
    /// <summary>Connects on each subscription: one connection, then completion, or an error.</summary>
    /// <returns>A cold observable, so <c>Retry()</c> reconnects; disposing it before the
    /// connection is made cancels the attempt.</returns>
    /// <remarks>Errors: <see cref="ConnectionRefusedException"/> when nobody listens,
    /// <see cref="TimeoutException"/> when the endpoint's connect timeout passes, and
    /// <see cref="IOException"/> for other failures.</remarks>
    IObservable<IConnection> Connect();
}
