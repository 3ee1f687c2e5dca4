using Microsoft.Reactive.Testing;
using RxNet.Sockets.Tls;
using RxNet.Testing;
using RxNet.Testing.Contracts;

namespace RxNet.Sockets.Specs.Tls;

/// <summary>
/// The transport contract on TLS over the simulated network, in virtual time: both ends of each simulated TCP
/// connection are upgraded with <c>StartTls</c> on the network's <see cref="TestScheduler"/>, so SslStream's work runs
/// inside scheduled items and the handshake, every record and every close happen at exact virtual ticks.
/// </summary>
public abstract class SimulatedTlsTransportContract : VirtualTimeTransportContract
{
    private readonly SimulatedNetwork _network;
    private readonly Queue<IConnection> _accepted = new();
    private IDisposable? _listening;

    protected SimulatedTlsTransportContract(LinkOptions link, int seed = 0)
        : base(new TestScheduler())
    {
        _network = new SimulatedNetwork(Scheduler, seed) { RecordsTrace = false };
        _network.Link("client", "server", link);
    }

    /// <summary>The TLS input delivers at most one record's worth of plain text at a time.</summary>
    protected override int MaxReadChunk => 16 * 1024;

    protected override async Task<ConnectionPair> ConnectAsync(ConnectionOptions options)
    {
        _listening ??= _network.Host("server").Reactor.ServerEndpoint("tcp:8443").Listen().Subscribe(_accepted.Enqueue);
        _network.ConnectionOptions = options;
        var plainClient = await RunUntilAsync(_network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8443").Connect(), "the client connected");
        var plainServer = _accepted.Dequeue();
        ITlsConnection? server = null;
        Exception? serverError = null;
        using var serving = plainServer.StartTls(new TlsServerOptions { Certificate = TestCertificates.Localhost, Connection = options, Scheduler = Scheduler })
            .Subscribe(c => server = c, e => serverError = e);
        var client = await RunUntilAsync(
            plainClient.StartTls(new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots, Connection = options, Scheduler = Scheduler }),
            "the client's handshake finished");
        await SettleAsync(); // the server's side of the handshake finishes when its last flight arrives
        if (serverError is not null)
            throw serverError;
        return new ConnectionPair(client, server ?? throw new InvalidOperationException("The server's handshake did not finish."));
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        _listening?.Dispose();
    }
}

/// <summary>The contract for TLS on the default link: 1 ms latency, unlimited bandwidth, writes kept whole.</summary>
public sealed class SimulatedTlsTransportContractSpecs() : SimulatedTlsTransportContract(LinkOptions.Default);

/// <summary>The contract for TLS on a slow link: 20 ms latency, 1 MB/s, random segments of up to 1500 bytes, so records
/// arrive cut anywhere.</summary>
public sealed class SimulatedTlsSlowLinkTransportContractSpecs() : SimulatedTlsTransportContract(
    new LinkOptions { Latency = TimeSpan.FromMilliseconds(20), BytesPerSecond = 1_000_000, MaxSegmentSize = 1500 }, seed: 14);
