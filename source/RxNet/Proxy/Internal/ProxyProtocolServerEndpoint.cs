using System.Net;
using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;

namespace RxNet.Proxy.Internal;

/// <summary>A server endpoint whose connections start with a PROXY header (Twisted's <c>haproxy:</c> endpoint).</summary>
internal sealed class ProxyProtocolServerEndpoint(IServerEndpoint inner, IScheduler scheduler, ProxyProtocolOptions options, ILogger? logger) : IServerEndpoint
{
    public IObservable<IConnection> Listen(Action<EndPoint>? onListening = null) =>
        inner.Listen(onListening).AcceptProxyProtocol(scheduler, options, logger);

    public override string ToString() => $"haproxy:{inner}";
}
