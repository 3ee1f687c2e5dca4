using RxNet.Testing.Internal;

namespace RxNet.Testing;

/// <summary>A named machine of a <see cref="SimulatedNetwork"/>, with its own reactor.</summary>
public sealed class SimulatedHost
{
    internal SimulatedHost(SimulatedNetwork network, string name)
    {
        Name = name;
        Listeners = [];
        Reactor = new SimulatedReactor(network, this);
    }

    /// <summary>The host's name, as clients give it in <c>tcp:host=NAME:port=PORT</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The host's reactor: its scheduler is the network's <c>TestScheduler</c>; <c>ServerEndpoint("tcp:PORT")</c>
    /// listens on this host and <c>ClientEndpoint("tcp:host=NAME:port=PORT")</c> (or <c>tcp:NAME:PORT</c>)
    /// connects from it; <c>DatagramEndpoint("udp:PORT")</c> binds a datagram socket on this host, which sends to
    /// <c>new DnsEndPoint("NAME", PORT)</c> (or, connected with <c>udp:0:remoteHost=NAME:remotePort=PORT</c>, only to
    /// that peer). <c>Run()</c> fires the startup triggers and starts the scheduler;
    /// <c>Stop()</c> fires the shutdown triggers and stops the scheduler once they are over (see
    /// <c>RxNet.Twisted.ReactorLifecycleExtensions</c>).
    /// </summary>
    public IReactor Reactor { get; }

    internal Dictionary<int, SimulatedListener> Listeners { get; }

    internal Dictionary<int, SimulatedDatagramSocket> DatagramSockets { get; } = [];

    internal int NextEphemeralPort { get; set; } = 49152;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
