using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Sockets.Tls;
using RxNet.Testing;
using RxNet.Testing.Contracts;
using Xunit;

namespace RxNet.Sockets.Specs.Tls;

/// <summary>
/// The transport contract on TLS over real TCP sockets: an RxNet TCP server on a loopback port, whose
/// connections and the clients' are both upgraded with <c>StartTls</c> (the CA-signed localhost certificate,
/// the client checking it against the CA).
/// </summary>
[Trait("Category", "Integration")]
public sealed class TlsTransportContractSpecs : RealTimeTransportContract
{
    private readonly Dictionary<ConnectionOptions, LoopbackServer> _servers = [];

    /// <summary>The TLS input delivers at most one record's worth of plain text at a time.</summary>
    protected override int MaxReadChunk => 16 * 1024;

    protected override async Task<ConnectionPair> ConnectAsync(ConnectionOptions options)
    {
        var tcp = new TcpOptions { Connection = options };
        if (!_servers.TryGetValue(options, out var server))
            _servers.Add(options, server = await LoopbackServer.StartAsync(options: tcp));
        var plainClient = await RunUntilAsync(new TcpClientEndpoint(server.EndPoint, tcp).Connect(), "the client connected");
        var plainServer = await server.NextAsync();
        var serverTls = plainServer.StartTls(new TlsServerOptions { Certificate = TestCertificates.Localhost, Connection = options })
            .ToTask(TestContext.Current.CancellationToken);
        var client = await RunUntilAsync(
            plainClient.StartTls(new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots, Connection = options }),
            "the client's handshake finished");
        var accepted = await serverTls.WaitAsync(Bounded.Short, TestContext.Current.CancellationToken);
        return new ConnectionPair(client, accepted);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        foreach (var server in _servers.Values)
            server.Dispose();
    }
}
