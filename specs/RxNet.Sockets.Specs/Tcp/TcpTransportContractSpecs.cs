using RxNet.Testing;
using RxNet.Testing.Contracts;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>
/// The transport contract on real TCP sockets: an RxNet server on an IPv4 loopback port the system
/// picks (one per set of connection options, for the spec's lifetime) and RxNet clients connecting to it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TcpTransportContractSpecs : RealTimeTransportContract
{
    private readonly Dictionary<ConnectionOptions, LoopbackServer> _servers = [];

    protected override async Task<ConnectionPair> ConnectAsync(ConnectionOptions options)
    {
        var tcp = new TcpOptions { Connection = options };
        if (!_servers.TryGetValue(options, out var server))
            _servers.Add(options, server = await LoopbackServer.StartAsync(options: tcp));
        var client = await RunUntilAsync(new TcpClientEndpoint(server.EndPoint, tcp).Connect(), "the client connected");
        var accepted = await server.NextAsync();
        if (!Equals(client.LocalEndPoint, accepted.RemoteEndPoint))
        {
            // Connections are made one at a time, so the next accepted one is this client's.
            client.Dispose();
            throw new InvalidOperationException($"The server accepted {accepted.RemoteEndPoint}, not the client at {client.LocalEndPoint}.");
        }
        return new ConnectionPair(client, accepted);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        foreach (var server in _servers.Values)
            server.Dispose();
    }
}
