using Microsoft.Reactive.Testing;

namespace RxNet.Testing.Contracts;

/// <summary>
/// The <see cref="TransportContract"/> on the <see cref="SimulatedNetwork"/>, in virtual time: a
/// <c>client</c> host and a <c>server</c> host joined by one link whose options the subclass picks, so the
/// same contract is shown to hold however the link delays, throttles or cuts up the bytes.
/// </summary>
/// <remarks>
/// <para>Derive a public sealed class with the link: <c>public sealed class MySpecs() :
/// SimulatedTransportContract(new LinkOptions { MaxSegmentSize = 1 });</c>. To check a connection wrapper
/// (a policy, a codec adapter, a TLS layer over the simulated network), override
/// <see cref="ConnectAsync"/>, call the base, and wrap both ends of the pair it returns, on
/// <see cref="VirtualTimeTransportContract.Scheduler"/>.</para>
/// <para>The server listens on <c>server</c> port 8000 from the first connect on; the network keeps no
/// trace (<see cref="SimulatedNetwork.RecordsTrace"/> is off: megabytes in small segments would fill it).</para>
/// </remarks>
public abstract class SimulatedTransportContract : VirtualTimeTransportContract
{
    private readonly Queue<IConnection> _accepted = new();
    private IDisposable? _listening;

    /// <summary>Creates the world: a network on a new <see cref="TestScheduler"/>, with <paramref name="link"/> between the hosts.</summary>
    /// <param name="link">The link between <c>client</c> and <c>server</c>.</param>
    /// <param name="seed">The network's seed, for the link's random segment sizes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="link"/> is null.</exception>
    protected SimulatedTransportContract(LinkOptions link, int seed = 0)
        : base(new TestScheduler())
    {
        ArgumentNullException.ThrowIfNull(link);
        Network = new SimulatedNetwork(Scheduler, seed) { RecordsTrace = false };
        Network.Link("client", "server", link);
    }

    /// <summary>The simulated network the pairs are made on.</summary>
    protected SimulatedNetwork Network { get; }

    /// <summary>Connects <c>client</c> to <c>server</c> with <paramref name="options"/> on both ends.</summary>
    /// <param name="options">The water marks both ends use.</param>
    /// <returns>The client's end and the server's end of the new connection.</returns>
    protected override async Task<ConnectionPair> ConnectAsync(ConnectionOptions options)
    {
        _listening ??= Network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(_accepted.Enqueue);
        Network.ConnectionOptions = options;
        var client = await RunUntilAsync(Network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect(), "the client connected");
        // The network accepts the server's end at the very instant it hands out the client's.
        return new ConnectionPair(client, _accepted.Dequeue());
    }

    /// <summary>Aborts every connection made, then stops listening.</summary>
    /// <returns>When everything is released.</returns>
    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        _listening?.Dispose();
    }
}
