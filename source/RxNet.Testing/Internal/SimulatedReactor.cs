using System.Globalization;
using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RxNet.Twisted;

namespace RxNet.Testing.Internal;

/// <summary>The reactor of one simulated host: the network's TestScheduler plus tcp and udp endpoints on that host.</summary>
internal sealed class SimulatedReactor(SimulatedNetwork network, SimulatedHost host) : IReactor
{
    // A callback that throws is logged and recorded, and virtual time goes on, as on the socket reactor.
    public IScheduler Scheduler { get; } = network.Scheduler.CatchAndLog(
        network.LoggerFactory.CreateLogger("RxNet.Reactor"), network.RecordCallbackError);

    /// <summary>The socket reactor's tcp, tcp6, udp and haproxy schemes, read by the same readers
    /// (<see cref="TcpServerParameters"/>, <see cref="TcpClientParameters"/>, <see cref="UdpParameters"/>), so a string
    /// that fails there fails here with the same message. A simulated host has one address and no kernel buffers, so
    /// a valid <c>interface</c>, <c>backlog</c>, <c>sndbuf</c> or <c>rcvbuf</c> has no effect; a UDP peer is a host name.</summary>
    public EndpointSchemes Schemes { get; } = new EndpointSchemes()
        .AddServer("tcp", (d, r) => Own(r).MakeServer(d))
        .AddServer("tcp6", (d, r) => Own(r).MakeServer(d))
        .AddServer("haproxy", (d, r) => r.ServerEndpoint(d.Inner).WithProxyProtocol(r.Scheduler))
        .AddClient("tcp", (d, r) => Own(r).MakeClient(d))
        .AddClient("tcp6", (d, r) => Own(r).MakeClient(d))
        .AddDatagram("udp", (d, r) => Own(r).MakeDatagram(d));

    private static SimulatedReactor Own(IReactor reactor) => reactor as SimulatedReactor
        ?? throw new ArgumentException($"A simulated host's endpoint schemes make endpoints for simulated reactors only, not for {reactor}.", nameof(reactor));

    public IServerEndpoint ServerEndpoint(string description) => Schemes.ServerEndpoint(this, description);

    public IClientEndpoint ClientEndpoint(string description) => Schemes.ClientEndpoint(this, description);

    public IDatagramEndpoint DatagramEndpoint(string description) => Schemes.DatagramEndpoint(this, description);

    // Twisted's system events fire here when anyone registered a trigger on this reactor.
    public void Run()
    {
        this.FireSystemEvent(SystemEventType.Startup, logger: null).Subscribe();
        network.Scheduler.Start();
    }

    public void Stop() => this.FireSystemEvent(SystemEventType.Shutdown, logger: null).Subscribe(_ => { }, network.Scheduler.Stop);

    private Server MakeServer(EndpointDescription d) => new(host, TcpServerParameters.Read(d).EndPoint.Port);

    private Client MakeClient(EndpointDescription d)
    {
        var parameters = TcpClientParameters.Read(d);
        return new Client(network, host, parameters.Host, parameters.Port, parameters.Timeout);
    }

    private Datagrams MakeDatagram(EndpointDescription d)
    {
        var parameters = UdpParameters.Read(d);
        return new Datagrams(network, host, parameters.Port, parameters.Remote);
    }

    /// <summary>A simulated host's udp endpoint, connected to <paramref name="remote"/> (a host name and port) if given.</summary>
    private sealed class Datagrams(SimulatedNetwork network, SimulatedHost host, int port, DnsEndPoint? remote) : IDatagramEndpoint
    {
        public override string ToString() => EndpointDescription.Format("udp", [port.ToString(CultureInfo.InvariantCulture)],
            ("remoteHost", remote?.Host), ("remotePort", remote?.Port.ToString(CultureInfo.InvariantCulture)));

        public IObservable<IDatagramSocket> Bind() =>
            Observable.Create<IDatagramSocket>(observer =>
            {
                int bound = port;
                if (bound == 0)
                    while (host.DatagramSockets.ContainsKey(bound = host.NextEphemeralPort++)) { }
                if (host.DatagramSockets.ContainsKey(bound))
                {
                    observer.OnError(new IOException(string.Create(CultureInfo.InvariantCulture,
                        $"Datagram port {bound} of simulated host {host.Name} is already in use.")));
                    return Disposable.Empty;
                }
                var socket = new SimulatedDatagramSocket(network, host, bound, remote);
                host.DatagramSockets.Add(bound, socket);
                observer.OnNext(socket); // no OnCompleted: that would dispose the subscription, and unbind
                return socket;
            });
    }

    private sealed class Server(SimulatedHost host, int port) : IServerEndpoint
    {
        public IObservable<IConnection> Listen(Action<EndPoint>? onListening = null) =>
            Listeners.Exclusive(Observable.Create<IConnection>(observer =>
            {
                int bound = port;
                if (bound == 0)
                    while (host.Listeners.ContainsKey(bound = host.NextEphemeralPort++)) { }
                if (host.Listeners.ContainsKey(bound))
                {
                    observer.OnError(new IOException(string.Create(CultureInfo.InvariantCulture,
                        $"Port {bound} of simulated host {host.Name} is already in use.")));
                    return Disposable.Empty;
                }
                var listener = new SimulatedListener(observer);
                host.Listeners.Add(bound, listener);
                onListening?.Invoke(new DnsEndPoint(host.Name, bound));
                return Disposable.Create(() =>
                {
                    if (host.Listeners.TryGetValue(bound, out var current) && ReferenceEquals(current, listener))
                        host.Listeners.Remove(bound);
                });
            }), string.Create(CultureInfo.InvariantCulture, $"tcp:{port} on simulated host {host.Name}"));
    }

    private sealed class Client(SimulatedNetwork network, SimulatedHost from, string host, int port, TimeSpan? timeout) : IClientEndpoint
    {
        public IObservable<IConnection> Connect() =>
            Observable.Create<IConnection>(observer => network.Connect(from, host, port, timeout ?? network.ConnectTimeout, observer));
    }
}
