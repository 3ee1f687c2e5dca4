using System.Net;

namespace RxNet.Twisted;

/// <summary>A server endpoint listening with a <see cref="Factory"/>.</summary>
internal sealed class ListeningPort : IListeningPort
{
    private IDisposable? _subscription;
    private readonly Factory _factory;

    private ListeningPort(Factory factory) => _factory = factory;

    public EndPoint Host { get; private set; } = new IPEndPoint(IPAddress.None, 0);

    public static ListeningPort Start(IServerEndpoint endpoint, Factory factory)
    {
        var port = new ListeningPort(factory);
        Exception? failure = null;
        factory.DoStart();
        port._subscription = endpoint.Listen(host => port.Host = host).Subscribe(connection => factory.Serve(connection), e => failure = e);
        if (failure is not null)
        {
            port._subscription.Dispose();
            factory.DoStop();
            throw failure as IOException ?? new IOException(failure.Message, failure);
        }
        return port;
    }

    public void StopListening()
    {
        var subscription = Interlocked.Exchange(ref _subscription, null);
        if (subscription is null)
            return;
        subscription.Dispose();
        _factory.DoStop();
    }

    public void Dispose() => StopListening();
}
