using System.Reactive.Disposables;

namespace RxNet.Twisted;

/// <summary>Connects a <see cref="ClientFactory"/> through a client endpoint, once per <see cref="Connect"/>.</summary>
internal sealed class Connector(IClientEndpoint endpoint, string destination, ClientFactory factory) : IConnector
{
    private readonly Lock _lock = new();
    private SingleAssignmentDisposable? _attempt;
    private IConnection? _connection;

    public string Destination { get; } = destination;

    public void Connect()
    {
        // The attempt is registered before anything runs, so StopConnecting from StartedConnecting
        // cancels it, and a Connect from a synchronous ClientConnectionFailed replaces it for good.
        var attempt = new SingleAssignmentDisposable();
        SingleAssignmentDisposable? previous;
        lock (_lock)
        {
            previous = _attempt;
            _attempt = attempt;
        }
        previous?.Dispose();
        factory.StartedConnecting(this);
        if (!attempt.IsDisposed)
            attempt.Disposable = endpoint.Connect().Subscribe(OnConnected, e => factory.ClientConnectionFailed(this, e));
    }

    public void StopConnecting()
    {
        SingleAssignmentDisposable? attempt;
        lock (_lock)
        {
            attempt = _attempt;
            _attempt = null;
        }
        attempt?.Dispose();
    }

    public void Disconnect()
    {
        IConnection? connection;
        lock (_lock)
            connection = _connection;
        connection?.Output.OnCompleted();
    }

    private void OnConnected(IConnection connection)
    {
        var protocol = factory.BuildProtocol(connection.RemoteEndPoint);
        if (protocol is null)
        {
            connection.Dispose();
            return;
        }
        protocol.Factory = factory;
        lock (_lock)
            _connection = connection;
        ConnectionTransport.Attach(connection, protocol, reason =>
        {
            lock (_lock)
            {
                if (ReferenceEquals(_connection, connection))
                    _connection = null;
            }
            factory.ClientConnectionLost(this, reason);
        });
    }

    public override string ToString() => Destination;
}
