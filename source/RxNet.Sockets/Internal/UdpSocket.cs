using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reactive;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using RxNet.Internal;

namespace RxNet.Sockets.Internal;

/// <summary>
/// A bound UDP socket: one receive loop that reads only while someone subscribes (the kernel keeps
/// what arrives meanwhile) and copies each datagram out of a reused buffer into one the subscriber
/// owns; sends are synchronous, as UDP sends do not wait for the peer.
/// </summary>
internal sealed class UdpSocket : IDatagramSocket
{
    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private IObserver<Datagram>? _observer;
    private TaskCompletionSource? _subscribed;
    private bool _loopStarted;

    public UdpSocket(Socket socket, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        LocalEndPoint = socket.LocalEndPoint!;
        // 65 535 less the IP header (20 bytes; IPv6's 40 sit outside its payload length) and UDP's 8.
        MaxDatagramSize = socket.AddressFamily == AddressFamily.InterNetworkV6 ? 65_527 : 65_507;
        Input = Observable.Create<Datagram>(Subscribe);
        Output = Observer.Create<Datagram>(Send, _ => Dispose());
    }

    public IObservable<Datagram> Input { get; }

    public IObserver<Datagram> Output { get; }

    public EndPoint LocalEndPoint { get; }

    public int MaxDatagramSize { get; }

    public void Dispose()
    {
        IObserver<Datagram>? observer;
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
                return;
            _disposed.Cancel();
            observer = _loopStarted ? null : _observer; // a running loop completes its observer itself
            if (!_loopStarted)
                _observer = null;
            _subscribed?.TrySetResult();
        }
        _socket.Dispose();
        observer?.OnCompleted();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"udp socket {LocalEndPoint}");

    private IDisposable Subscribe(IObserver<Datagram> observer)
    {
        bool busy, disposed, start = false;
        TaskCompletionSource? waiting = null;
        lock (_lock)
        {
            busy = _observer is not null;
            disposed = _disposed.IsCancellationRequested;
            if (!busy && !disposed)
            {
                _observer = observer;
                start = !_loopStarted;
                _loopStarted = true;
                waiting = _subscribed;
                _subscribed = null;
            }
        }
        if (busy)
        {
            observer.OnError(SubscriberSlot<Datagram>.AlreadySubscribed(this));
            return Disposable.Empty;
        }
        if (disposed)
        {
            observer.OnCompleted();
            return Disposable.Empty;
        }
        if (start)
            _ = ReceiveLoopAsync();
        waiting?.TrySetResult();
        return Disposable.Create(() =>
        {
            lock (_lock)
                if (ReferenceEquals(_observer, observer))
                    _observer = null;
        });
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65_536);
        EndPoint any = _socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        Datagram? pending = null; // received while the subscriber was leaving: kept for the next one
        while (true)
        {
            IObserver<Datagram>? observer;
            Task? wait = null;
            lock (_lock)
            {
                observer = _observer;
                if (_disposed.IsCancellationRequested)
                {
                    _observer = null;
                }
                else if (observer is null)
                {
                    _subscribed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _subscribed.Task;
                }
            }
            if (_disposed.IsCancellationRequested)
            {
                observer?.OnCompleted();
                return;
            }
            if (wait is not null)
            {
                await wait.ConfigureAwait(false);
                continue;
            }
            if (pending is null)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _disposed.Token).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
                {
                    continue; // an ICMP "port unreachable" for an earlier send (Windows reports it here): not this socket's fault
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    if (e is SocketException s)
                        Log.DatagramReceiveFailed(_logger, this, s.SocketErrorCode);
                    Dispose();
                    continue;
                }
                pending = new Datagram(buffer.AsSpan(0, received.ReceivedBytes).ToArray(), received.RemoteEndPoint);
            }
            lock (_lock)
                observer = _observer;
            if (observer is null)
                continue;
            var datagram = pending.Value;
            pending = null;
            try
            {
                observer.OnNext(datagram);
            }
            catch (Exception e)
            {
                Log.DatagramSubscriberThrew(_logger, e, this);
                Dispose();
            }
        }
    }

    private void Send(Datagram datagram)
    {
        if (datagram.Payload.Length > MaxDatagramSize)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"A datagram of {datagram.Payload.Length} bytes is larger than the {MaxDatagramSize} bytes {this} can send whole."), nameof(datagram));
        if (datagram.RemoteEndPoint is not IPEndPoint remote || remote.AddressFamily != _socket.AddressFamily)
            throw new ArgumentException(
                $"{this} sends to {_socket.AddressFamily} IP addresses; {datagram.RemoteEndPoint} is not one (resolve host names first).", nameof(datagram));
        if (_disposed.IsCancellationRequested)
            return;
        try
        {
            _socket.SendTo(datagram.Payload.Span, SocketFlags.None, remote);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Datagrams may be lost: a failed send is one more, logged rather than thrown at the caller.
            Log.DatagramSendFailed(_logger, this, remote, e.Message);
        }
    }
}
