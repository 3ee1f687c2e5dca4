using System.Reactive.Linq;

namespace RxNet.Proxy.Internal;

/// <summary>A client endpoint whose connections send a PROXY header before anything else.</summary>
internal sealed class ProxyHeaderClientEndpoint(IClientEndpoint inner, Func<IConnection, ProxyHeader> header) : IClientEndpoint
{
    public IObservable<IConnection> Connect() => inner.Connect().Select(connection =>
    {
        try
        {
            return connection.SendProxyHeader(header(connection));
        }
        catch
        {
            connection.Dispose(); // nobody else holds it yet
            throw;
        }
    });

    public override string ToString() => $"{inner} (sending a PROXY header)";
}
