using System.Globalization;
using System.Net;
using System.Reactive;
using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace RxNet.Testing.Internal;

/// <summary>
/// A datagram socket bound to a port of a simulated host: unicast input that keeps what arrives
/// while nobody reads (up to the network's receive window, then drops as a kernel would), and an
/// output that hands each datagram, copied, to the network. Connected to a peer, it takes only that
/// peer's datagrams (the network treats others as reaching no socket) and hears of the peer's closed port
/// as a refusal, told to the input after what was buffered before it.
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
    private bool _refused;

    public SimulatedDatagramSocket(SimulatedNetwork network, SimulatedHost host, int port, DnsEndPoint? remote = null)
    {
        _network = network;
        _host = host;
        Port = port;
        RemoteEndPoint = remote;
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

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The peer of a connected socket, as the network names hosts.</summary>
    public DnsEndPoint? Remote => (DnsEndPoint?)RemoteEndPoint;

    public bool IsDisposed => _disposed;

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

    public override string ToString() => Remote is null
        ? $"simulated datagram socket {Name}"
        : $"simulated datagram socket {Name} connected to {FormatEndPoint(Remote)}";

    /// <summary>Whether this socket takes a datagram from <paramref name="from"/>: any, unless connected to another peer.</summary>
    public bool Accepts(SimulatedDatagramSocket from) =>
        Remote is null || (Remote.Host == from.HostName && Remote.Port == from.Port);

    /// <summary>An ICMP port-unreachable for an earlier datagram arrived (connected sockets only): the input
    /// fails with <see cref="ConnectionRefusedException"/> once what was buffered before it is read.</summary>
    public void Refuse()
    {
        if (_disposed)
            return;
        _refused = true;
        Drain();
    }

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
            observer.OnError(new InvalidOperationException($"The input of {this} already has a subscriber; it is unicast. Use Publish() to share it."));
            return Disposable.Empty;
        }
        if (_disposed)
        {
            observer.OnCompleted();
            return Disposable.Empty;
        }
        _observer = observer;
        if ((_buffer.Count > 0 || _refused) && !_drainScheduled)
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
        if (_refused && _observer is { } refused)
        {
            // The socket stays bound: the subscriber's slot is freed, so subscribing again reads on.
            _refused = false;
            _observer = null;
            refused.OnError(new ConnectionRefusedException(
                $"{FormatEndPoint(Remote!)} refused a datagram from {this}: nothing is bound there (simulated ICMP port unreachable). The socket stays bound; subscribe again to read on."));
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
        if (Remote is not null && (Remote.Host != host || Remote.Port != port))
            throw new ArgumentException($"{this} sends only to its peer; {FormatEndPoint(datagram.RemoteEndPoint)} is another address.", nameof(datagram));
        _network.SendDatagram(this, datagram.Payload.ToArray(), host, port);
    }

    internal static string FormatEndPoint(EndPoint endPoint) =>
        endPoint is DnsEndPoint dns ? string.Create(CultureInfo.InvariantCulture, $"{dns.Host}:{dns.Port}") : endPoint.ToString() ?? "?";
}
