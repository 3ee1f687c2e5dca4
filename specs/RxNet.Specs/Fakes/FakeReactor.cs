using System.Reactive.Concurrency;
using Microsoft.Reactive.Testing;

namespace RxNet.Specs.Fakes;

/// <summary>
/// An <see cref="IReactor"/> in virtual time: its scheduler is a <see cref="TestScheduler"/>, and
/// every endpoint it makes is a fake the spec controls, recorded with the description asked for.
/// </summary>
public sealed class FakeReactor : IReactor
{
    private readonly List<FakeServerEndpoint> _servers = [];
    private readonly List<FakeClientEndpoint> _clients = [];

    public TestScheduler TestScheduler { get; } = new();

    public IScheduler Scheduler => TestScheduler;

    /// <summary>Unused: every description becomes a fake endpoint, whatever its scheme.</summary>
    public EndpointSchemes Schemes { get; } = new();

    /// <summary>Every server endpoint made, in order.</summary>
    public IReadOnlyList<FakeServerEndpoint> ServerEndpoints => _servers;

    /// <summary>Every client endpoint made, in order.</summary>
    public IReadOnlyList<FakeClientEndpoint> ClientEndpoints => _clients;

    /// <summary>Configures each new server endpoint before it is returned.</summary>
    public Action<FakeServerEndpoint>? ConfigureServer { get; set; }

    /// <summary>Configures each new client endpoint before it is returned.</summary>
    public Action<FakeClientEndpoint>? ConfigureClient { get; set; }

    public int RunCount { get; private set; }

    public int StopCount { get; private set; }

    public IServerEndpoint ServerEndpoint(string description)
    {
        var endpoint = new FakeServerEndpoint(description);
        ConfigureServer?.Invoke(endpoint);
        _servers.Add(endpoint);
        return endpoint;
    }

    public IClientEndpoint ClientEndpoint(string description)
    {
        var endpoint = new FakeClientEndpoint(description);
        ConfigureClient?.Invoke(endpoint);
        _clients.Add(endpoint);
        return endpoint;
    }

    /// <summary>Not used by the Twisted-style layer yet: datagram protocols come with UDP.</summary>
    public IDatagramEndpoint DatagramEndpoint(string description) =>
        throw new NotSupportedException($"FakeReactor makes no datagram endpoints ({description}).");

    /// <summary>Records the call; virtual time is advanced by the spec, not by a loop.</summary>
    public void Run() => RunCount++;

    public void Stop() => StopCount++;
}
