using System.Globalization;
using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using RxNet.Twisted;

namespace RxNet.Testing.Internal;

/// <summary>The reactor of one simulated host: the network's TestScheduler plus tcp and udp endpoints on that host.</summary>
internal sealed class SimulatedReactor(SimulatedNetwork network, SimulatedHost host) : IReactor
{
    public IScheduler Scheduler => network.Scheduler;

    public IServerEndpoint ServerEndpoint(string description)
    {
        var parsed = Parse(description, "tcp");
        string? portText = parsed.Parameters.TryGetValue("port", out var p) ? p : parsed.Arguments.Count > 0 ? parsed.Arguments[0] : null;
        if (portText is null)
            throw parsed.Invalid(parsed.Scheme, "a server endpoint needs a port, as in tcp:8000");
        foreach (var key in parsed.Parameters.Keys)
            if (key is not ("port" or "interface" or "backlog"))
                throw parsed.UnknownParameter(key, "tcp server endpoints take port, interface and backlog");
        int port = parsed.ReadInt32("port", portText, 0, 65535);
        return new Server(host, port);
    }

    public IClientEndpoint ClientEndpoint(string description)
    {
        var parsed = Parse(description, "tcp");
        string? hostName = parsed.Parameters.TryGetValue("host", out var h) ? h : parsed.Arguments.Count > 0 ? parsed.Arguments[0] : null;
        string? portText = parsed.Parameters.TryGetValue("port", out var p) ? p
            : parsed.Arguments.Count > (parsed.Parameters.ContainsKey("host") ? 0 : 1) ? parsed.Arguments[parsed.Parameters.ContainsKey("host") ? 0 : 1] : null;
        if (string.IsNullOrEmpty(hostName) || portText is null)
            throw parsed.Invalid(parsed.Scheme, "a client endpoint needs a host and a port, as in tcp:host=server:port=8000");
        foreach (var key in parsed.Parameters.Keys)
            if (key is not ("host" or "port" or "timeout"))
                throw parsed.UnknownParameter(key, "tcp client endpoints take host, port and timeout");
        int port = parsed.ReadInt32("port", portText, 1, 65535);
        TimeSpan? timeout = null;
        if (parsed.Parameters.TryGetValue("timeout", out var t))
        {
            // As the socket endpoint reads it: seconds, fractions allowed.
            if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0))
                throw parsed.Invalid("timeout", "timeout must be a number of seconds above 0");
            timeout = TimeSpan.FromSeconds(seconds);
        }
        return new Client(network, host, hostName, port, timeout);
    }

    public IDatagramEndpoint DatagramEndpoint(string description)
    {
        var parsed = Parse(description, "udp");
        string? portText = parsed.Parameters.TryGetValue("port", out var p) ? p : parsed.Arguments.Count > 0 ? parsed.Arguments[0] : null;
        if (portText is null)
            throw parsed.Invalid(parsed.Scheme, "a datagram endpoint needs a port, as in udp:9999 (0 picks a free one)");
        foreach (var key in parsed.Parameters.Keys)
            if (key is not ("port" or "interface"))
                throw parsed.UnknownParameter(key, "udp endpoints take port and interface");
        return new Datagrams(network, host, parsed.ReadInt32("port", portText, 0, 65535));
    }

    // Twisted's system events fire here when anyone registered a trigger on this reactor.
    public void Run()
    {
        SystemEvents.Find(this)?.Fire(SystemEventType.Startup, NullLogger.Instance).Subscribe();
        network.Scheduler.Start();
    }

    public void Stop()
    {
        if (SystemEvents.Find(this) is { } events)
            events.Fire(SystemEventType.Shutdown, NullLogger.Instance).Subscribe(_ => { }, network.Scheduler.Stop);
        else
            network.Scheduler.Stop();
    }

    private static EndpointDescription Parse(string description, string scheme)
    {
        var parsed = EndpointDescription.Parse(description);
        if (parsed.Scheme != scheme)
            throw parsed.Invalid(parsed.Scheme, $"the simulated network's {(scheme == "tcp" ? "server and client" : "datagram")} endpoints are {scheme}");
        return parsed;
    }

    private sealed class Datagrams(SimulatedNetwork network, SimulatedHost host, int port) : IDatagramEndpoint
    {
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
                var socket = new SimulatedDatagramSocket(network, host, bound);
                host.DatagramSockets.Add(bound, socket);
                observer.OnNext(socket); // no OnCompleted: that would dispose the subscription, and unbind
                return socket;
            });
    }

    private sealed class Server(SimulatedHost host, int port) : IServerEndpoint
    {
        public IObservable<IConnection> Listen(Action<EndPoint>? onListening = null) =>
            Observable.Create<IConnection>(observer =>
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
            });
    }

    private sealed class Client(SimulatedNetwork network, SimulatedHost from, string host, int port, TimeSpan? timeout) : IClientEndpoint
    {
        public IObservable<IConnection> Connect() =>
            Observable.Create<IConnection>(observer => network.Connect(from, host, port, timeout ?? network.ConnectTimeout, observer));
    }
}
