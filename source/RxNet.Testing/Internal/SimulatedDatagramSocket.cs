using System.Globalization;
using System.Net;
using System.Reactive;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using RxNet.Internal;

namespace RxNet.Testing.Internal;

/// <summary>
/// A datagram socket bound to a port of a simulated host: unicast input that keeps what arrives
/// while nobody reads (up to the network's receive window, then drops as a kernel would), and an
/// output that hands each datagram, copied, to the network.
/// </summary>
internal sealed class SimulatedDatagramSocket : IDatagramSocket
{
    /// <summary>The largest UDP payload over IPv4: 65 535 less the IP and UDP headers.</summary>
    public const int MaxUdpPayload = 65_507;

    private readonly SimulatedNetwork _network;
    private readonly SimulatedHost _host;
    private readonly Queue<Datagram> _buffer = new();
    private long _buffered;
    private IObserver<Datagram>? _observer;
    private bool _drainScheduled;
    private bool _disposed;

    public SimulatedDatagramSocket(SimulatedNetwork network, SimulatedHost host, int port)
    {
        _network = network;
        _host = host;
        Port = port;
        Name = string.Create(CultureInfo.InvariantCulture, $"{host.Name}:{port}");
        LocalEndPoint = new DnsEndPoint(host.Name, port);
        Input = Observable.Create<Datagram>(Subscribe);
        Output = Observer.Create<Datagram>(Send, _ => Dispose());
    }

    public string Name { get; }

    public string HostName => _host.Name;

    public int Port { get; }

    public IObservable<Datagram> Input { get; }

    public IObserver<Datagram> Output { get; }

    public EndPoint LocalEndPoint { get; }

    public int MaxDatagramSize => MaxUdpPayload;

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _buffer.Clear();
        _buffered = 0;
        if (_host.DatagramSockets.TryGetValue(Port, out var bound) && ReferenceEquals(bound, this))
            _host.DatagramSockets.Remove(Port);
        var observer = _observer;
        _observer = null;
        observer?.OnCompleted();
    }

    public override string ToString() => $"simulated datagram socket {Name}";

    /// <summary>A datagram arrived from the network.</summary>
    public void Receive(Datagram datagram)
    {
        if (_disposed)
            return;
        if (_buffered + datagram.Payload.Length > _network.ReceiveWindow)
        {
            _network.Record(FormatEndPoint(datagram.RemoteEndPoint), Name, NetworkEventKind.Lost, datagram.Payload);
            return;
        }
        _network.Record(FormatEndPoint(datagram.RemoteEndPoint), Name, NetworkEventKind.Datagram, datagram.Payload);
        _buffer.Enqueue(datagram);
        _buffered += datagram.Payload.Length;
        Drain();
    }

    private IDisposable Subscribe(IObserver<Datagram> observer)
    {
        if (_observer is not null)
        {
            observer.OnError(SubscriberSlot<Datagram>.AlreadySubscribed(this));
            return Disposable.Empty;
        }
        if (_disposed)
        {
            observer.OnCompleted();
            return Disposable.Empty;
        }
        _observer = observer;
        if (_buffer.Count > 0 && !_drainScheduled)
        {
            // What waited is delivered in a turn of its own, not inside Subscribe.
            _drainScheduled = true;
            _network.ScheduleAt(_network.Now, () =>
            {
                _drainScheduled = false;
                Drain();
            });
        }
        return Disposable.Create(() =>
        {
            if (ReferenceEquals(_observer, observer))
                _observer = null;
        });
    }

    private void Drain()
    {
        while (_observer is { } observer && _buffer.TryDequeue(out var datagram))
        {
            _buffered -= datagram.Payload.Length;
            try
            {
                observer.OnNext(datagram);
            }
            catch (Exception)
            {
                // As with connections, a subscriber's exception ends this socket and nothing else.
                Dispose();
                return;
            }
        }
    }

    private void Send(Datagram datagram)
    {
        if (_disposed)
            return;
        if (datagram.Payload.Length > MaxUdpPayload)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"A datagram of {datagram.Payload.Length} bytes is larger than the {MaxUdpPayload} bytes {this} can send whole."), nameof(datagram));
        if (datagram.RemoteEndPoint is not DnsEndPoint { Host: var host, Port: var port })
            throw new ArgumentException(
                $"{this} sends to simulated hosts by name, as DnsEndPoint(\"server\", 9999); {datagram.RemoteEndPoint} is not one.", nameof(datagram));
        _network.SendDatagram(this, datagram.Payload.ToArray(), host, port);
    }

    private static string FormatEndPoint(EndPoint endPoint) =>
        endPoint is DnsEndPoint dns ? string.Create(CultureInfo.InvariantCulture, $"{dns.Host}:{dns.Port}") : endPoint.ToString() ?? "?";
}
