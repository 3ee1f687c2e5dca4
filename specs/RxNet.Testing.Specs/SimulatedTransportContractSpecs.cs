using Microsoft.Reactive.Testing;
using RxNet.Testing.Contracts;

namespace RxNet.Testing.Specs;

/// <summary>
/// The transport contract on the simulated network, in virtual time: a client host and a server host
/// joined by one link, whose options each subclass picks, so that the same contract holds however
/// the link delays, throttles or cuts up the bytes.
/// </summary>
public abstract class SimulatedTransportContract : VirtualTimeTransportContract
{
    private readonly SimulatedNetwork _network;
    private readonly Queue<IConnection> _accepted = new();
    private IDisposable? _listening;

    /// <summary>Creates the world: a network on a new scheduler, with <paramref name="link"/> between the hosts.</summary>
    protected SimulatedTransportContract(LinkOptions link, int seed = 0)
        : base(new TestScheduler())
    {
        // Megabytes in small segments: the trace would keep every one of them.
        _network = new SimulatedNetwork(Scheduler, seed) { RecordsTrace = false };
        _network.Link("client", "server", link);
    }

    protected override async Task<ConnectionPair> ConnectAsync(ConnectionOptions options)
    {
        _listening ??= _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(_accepted.Enqueue);
        _network.ConnectionOptions = options;
        var client = await RunUntilAsync(_network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect(), "the client connected");
        // The network accepts the server's end at the very instant it hands out the client's.
        return new ConnectionPair(client, _accepted.Dequeue());
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        _listening?.Dispose();
    }
}

/// <summary>The contract on the default link: 1 ms latency, unlimited bandwidth, writes kept whole.</summary>
public sealed class SimulatedTransportContractSpecs() : SimulatedTransportContract(LinkOptions.Default);

/// <summary>The contract on a link that cuts every transmission into one-byte segments.</summary>
/// <remarks>Every byte is a scheduled delivery here, so the end-to-end streams are 256 KiB rather than
/// 1 MiB: still four times the water mark and the receive window.</remarks>
public sealed class SimulatedOneByteSegmentsTransportContractSpecs() : SimulatedTransportContract(new LinkOptions { MaxSegmentSize = 1 }, seed: 11)
{
    protected override long StreamBytes => 256 * 1024;
}

/// <summary>The contract on a slow link: 20 ms latency, 1 MB/s, and random segments of up to 1500 bytes.</summary>
public sealed class SimulatedSlowLinkTransportContractSpecs() : SimulatedTransportContract(
    new LinkOptions { Latency = TimeSpan.FromMilliseconds(20), BytesPerSecond = 1_000_000, MaxSegmentSize = 1500 }, seed: 12);
