using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxNet.Policies.Internal;

namespace RxNet.Proxy.Internal;

/// <summary>A connection whose header has been read: the header's endpoints, the input resuming after the header.</summary>
internal sealed class ProxiedConnection : IProxiedConnection, ITrafficTap
{
    private readonly IConnection _inner;
    private readonly ProxiedInput _input;
    private Exception? _failure; // a subscriber's exception while it was given the bytes after the header

    public ProxiedConnection(IConnection inner, ProxyHeader header, IReadOnlyList<ReadOnlyMemory<byte>> rest, IScheduler scheduler)
    {
        _inner = inner;
        ProxyHeader = header;
        _input = new ProxiedInput(inner.Input, rest, scheduler, this);
        Output = new TrafficTapOutput(inner.Output, this);
    }

    public ProxyHeader ProxyHeader { get; }

    public EndPoint? ProxyEndPoint => _inner.RemoteEndPoint;

    public IConnectionInput Input => _input;

    public IConnectionOutput Output { get; }

    public EndPoint? LocalEndPoint => ProxyHeader.Destination ?? _inner.LocalEndPoint;

    public EndPoint? RemoteEndPoint => ProxyHeader.Source ?? _inner.RemoteEndPoint;

    public IObservable<ConnectionClosed> Closed => _inner.Closed.Select(closed =>
        Volatile.Read(ref _failure) is { } failure ? new ConnectionClosed(ConnectionCloseReason.Error, failure) : closed);

    public void Dispose()
    {
        _input.Drop(); // an abort drops what was received and not read, as a transport's does
        _inner.Dispose();
    }

    public void Close()
    {
        _input.Close(); // held bytes not yet read are dropped, as a transport's close drops them
        _inner.Close();
    }

    /// <summary>The subscriber threw while given the bytes after the header: the connection is aborted and closes as
    /// <see cref="ConnectionCloseReason.Error"/> with that exception, as a transport's does.</summary>
    public void Fail(Exception error)
    {
        Interlocked.CompareExchange(ref _failure, error, null);
        Dispose();
    }

    public override string ToString() => ProxyHeader.Source is null ? $"{_inner}" : $"{ProxyHeader.Source} via {_inner}";

    void ITrafficTap.Received(ReadOnlyMemory<byte> chunk)
    {
    }

    void ITrafficTap.InputCompleted()
    {
    }

    Exception ITrafficTap.InputFailed(Exception error) => error;

    void ITrafficTap.Sending(ReadOnlyMemory<byte> chunk)
    {
    }

    void ITrafficTap.OutputCompleted()
    {
    }

    void ITrafficTap.OutputFailed(Exception error) => _input.Drop();
}
