using System.Reactive.Concurrency;
using Microsoft.Reactive.Testing;

namespace RxNet.Testing;

/// <summary>
/// An <see cref="IReactor"/> that records what it is asked for (Twisted's <c>MemoryReactor</c>): its clock is a
/// <see cref="Microsoft.Reactive.Testing.TestScheduler"/>, and every endpoint it makes is a fake the spec
/// controls, kept in <see cref="ServerEndpoints"/> and <see cref="ClientEndpoints"/> with the description
/// it was asked for.
/// </summary>
/// <remarks>
/// <para>Use it to specify code that takes a reactor (a Twisted-style factory, a reconnecting client, a
/// service) without any network: the spec sees which endpoints were made, accepts connections on a
/// <see cref="FakeServerEndpoint"/>, resolves connects on a <see cref="FakeClientEndpoint"/>, and moves
/// <see cref="TestScheduler"/> for timers. Any description is accepted, whatever its scheme: nothing is
/// parsed. For a reactor that really listens and connects in virtual time, use a
/// <see cref="SimulatedNetwork"/> host's reactor instead.</para>
/// <para>Not thread-safe: drive it from one thread.</para>
/// </remarks>
public sealed class FakeReactor : IReactor
{
    private readonly List<FakeServerEndpoint> _servers = [];
    private readonly List<FakeClientEndpoint> _clients = [];

    /// <summary>The reactor's virtual clock; the same object as <see cref="Scheduler"/>.</summary>
    public TestScheduler TestScheduler { get; } = new();

    /// <inheritdoc/>
    public IScheduler Scheduler => TestScheduler;

    /// <summary>An empty set of schemes, never consulted: every description becomes a fake endpoint.</summary>
    public EndpointSchemes Schemes { get; } = new();

    /// <summary>Every server endpoint made, in order.</summary>
    public IReadOnlyList<FakeServerEndpoint> ServerEndpoints => _servers;

    /// <summary>Every client endpoint made, in order.</summary>
    public IReadOnlyList<FakeClientEndpoint> ClientEndpoints => _clients;

    /// <summary>Configures each new server endpoint before it is returned (its bound address, a listen error).</summary>
    public Action<FakeServerEndpoint>? ConfigureServer { get; set; }

    /// <summary>Configures each new client endpoint before it is returned (how its attempts resolve).</summary>
    public Action<FakeClientEndpoint>? ConfigureClient { get; set; }

    /// <summary>How many times <see cref="Run"/> was called.</summary>
    public int RunCount { get; private set; }

    /// <summary>How many times <see cref="Stop"/> was called.</summary>
    public int StopCount { get; private set; }

    /// <summary>Makes, records and returns a new <see cref="FakeServerEndpoint"/> for <paramref name="description"/>.</summary>
    /// <param name="description">Any text; kept as <see cref="FakeServerEndpoint.Description"/>.</param>
    /// <returns>The fake endpoint.</returns>
    public IServerEndpoint ServerEndpoint(string description)
    {
        var endpoint = new FakeServerEndpoint(description);
        ConfigureServer?.Invoke(endpoint);
        _servers.Add(endpoint);
        return endpoint;
    }

    /// <summary>Makes, records and returns a new <see cref="FakeClientEndpoint"/> for <paramref name="description"/>.</summary>
    /// <param name="description">Any text; kept as <see cref="FakeClientEndpoint.Description"/>.</param>
    /// <returns>The fake endpoint.</returns>
    public IClientEndpoint ClientEndpoint(string description)
    {
        var endpoint = new FakeClientEndpoint(description);
        ConfigureClient?.Invoke(endpoint);
        _clients.Add(endpoint);
        return endpoint;
    }

    /// <summary>Not supported: a <see cref="SimulatedNetwork"/> host's reactor makes datagram sockets in virtual time.</summary>
    /// <param name="description">The description asked for.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    public IDatagramEndpoint DatagramEndpoint(string description) =>
        throw new NotSupportedException($"FakeReactor makes no datagram endpoints ({description}); use a SimulatedNetwork host's reactor.");

    /// <summary>Counts the call and returns at once: virtual time moves when the spec moves
    /// <see cref="TestScheduler"/>, not in a loop.</summary>
    public void Run() => RunCount++;

    /// <summary>Counts the call.</summary>
    public void Stop() => StopCount++;
}
