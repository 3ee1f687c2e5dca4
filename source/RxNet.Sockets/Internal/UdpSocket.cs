using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reactive;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;

namespace RxNet.Sockets.Internal;

/// <summary>
/// A bound UDP socket: one receive loop that reads only while someone subscribes (the kernel keeps
/// what arrives meanwhile) and copies each datagram out of a reused buffer into one the subscriber
/// owns; sends are synchronous, as UDP sends do not wait for the peer.
/// </summary>
/// <remarks>Connected, the kernel filters by source and reports an ICMP port-unreachable as ECONNREFUSED
/// to the next receive or send, whichever comes first: either way the refusal reaches the input, through
/// the receive loop alone, so that the subscriber's notifications stay sequential.</remarks>
internal sealed partial class UdpSocket : IMulticastSocket
{
    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private IObserver<Datagram>? _observer;
    private TaskCompletionSource? _subscribed;
    private bool _loopStarted;
    private bool _refused; // a refusal not yet told to a subscriber
    private CancellationTokenSource? _receiving; // the pending receive of a connected socket, cancelled to tell a refusal

    public UdpSocket(Socket socket, IPEndPoint? remote, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        RemoteEndPoint = remote;
        LocalEndPoint = socket.LocalEndPoint!;
        // 65 535 less the IP header (20 bytes; IPv6's 40 sit outside its payload length) and UDP's 8.
        MaxDatagramSize = socket.AddressFamily == AddressFamily.InterNetworkV6 ? 65_527 : 65_507;
        Input = Observable.Create<Datagram>(Subscribe);
        Output = Observer.Create<Datagram>(Send, _ => Dispose());
    }

    public IObservable<Datagram> Input { get; }

    public IObserver<Datagram> Output { get; }

    public EndPoint LocalEndPoint { get; }

    public EndPoint? RemoteEndPoint { get; }

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
        lock (_lock)
        {
            _receiving?.Dispose();
            _receiving = null;
        }
    }

    public override string ToString() => RemoteEndPoint is null
        ? string.Create(CultureInfo.InvariantCulture, $"udp socket {LocalEndPoint}")
        : string.Create(CultureInfo.InvariantCulture, $"udp socket {LocalEndPoint} connected to {RemoteEndPoint}");

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
            observer.OnError(new InvalidOperationException($"The datagrams of {this} already have a subscriber; they are unicast. Use Publish() to share them."));
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
            if (TakeRefusal() is { } refused)
            {
                refused.OnError(Refusal());
                continue;
            }
            if (pending is null)
            {
                SocketReceiveFromResult received;
                CancellationToken token = _disposed.Token;
                if (RemoteEndPoint is not null)
                {
                    lock (_lock)
                    {
                        if (_refused)
                            continue; // a send met one meanwhile
                        token = (_receiving ??= CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token)).Token;
                    }
                }
                try
                {
                    received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, token).ConfigureAwait(false);
                }
                catch (SocketException e) when (RemoteEndPoint is not null && e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                {
                    lock (_lock)
                        _refused = true; // the peer's port is closed: told to the subscriber at the top of the loop
                    continue;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
                {
                    continue; // an ICMP "port unreachable" for an earlier send (Windows reports it here): not this socket's fault
                }
                catch (OperationCanceledException) when (!_disposed.IsCancellationRequested)
                {
                    continue; // woken by a send that met a refusal
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

    /// <summary>The subscriber to tell of a refusal, detached so that subscribing again reads on; null if there is nothing to tell.</summary>
    private IObserver<Datagram>? TakeRefusal()
    {
        lock (_lock)
        {
            if (!_refused || _observer is not { } observer)
                return null;
            _refused = false;
            _observer = null;
            return observer;
        }
    }

    private ConnectionRefusedException Refusal() => new(string.Create(CultureInfo.InvariantCulture,
        $"{RemoteEndPoint} refused a datagram from {this}: nothing listens on that port (ICMP port unreachable). The socket stays bound; subscribe again to read on."));

    /// <summary>A send met the refusal of an earlier datagram: wake the receive loop to tell it.</summary>
    private void RefusedOnSend()
    {
        CancellationTokenSource? receiving;
        lock (_lock)
        {
            _refused = true;
            receiving = _receiving;
            _receiving = null;
        }
        receiving?.Cancel();
        receiving?.Dispose();
    }

    private void Send(Datagram datagram)
    {
        if (datagram.Payload.Length > MaxDatagramSize)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"A datagram of {datagram.Payload.Length} bytes is larger than the {MaxDatagramSize} bytes {this} can send whole."), nameof(datagram));
        if (datagram.RemoteEndPoint is not IPEndPoint remote || remote.AddressFamily != _socket.AddressFamily)
            throw new ArgumentException(
                $"{this} sends to {_socket.AddressFamily} IP addresses; {datagram.RemoteEndPoint} is not one (resolve host names first).", nameof(datagram));
        if (RemoteEndPoint is not null && !remote.Equals(RemoteEndPoint))
            throw new ArgumentException($"{this} sends only to its peer; {remote} is another address.", nameof(datagram));
        if (_disposed.IsCancellationRequested)
            return;
        try
        {
            if (RemoteEndPoint is null)
                _socket.SendTo(datagram.Payload.Span, SocketFlags.None, remote);
            else
                _socket.Send(datagram.Payload.Span, SocketFlags.None);
        }
        catch (SocketException e) when (RemoteEndPoint is not null && e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            // The error is an earlier datagram's (Linux reports it once, to whichever call comes first),
            // and this datagram was not sent.
            Log.DatagramSendFailed(_logger, this, remote, e.Message);
            RefusedOnSend();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Datagrams may be lost: a failed send is one more, logged rather than thrown at the caller.
            Log.DatagramSendFailed(_logger, this, remote, e.Message);
        }
    }
}
