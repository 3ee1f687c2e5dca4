using System.Net;
using RxNet.Testing;
using RxNet.Testing.Contracts;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>
/// The transport contract on real TCP sockets whose ends have each read a PROXY header from the other (version 2, each
/// naming itself with its real endpoints): the proxied connections' inputs must keep every rule of the sockets' own
/// after the header reader unsubscribed from them, with the reactor's event loop delivering what shared a header's chunk.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProxyProtocolTcpTransportContractSpecs : RealTimeTransportContract
{
    private readonly Dictionary<ConnectionOptions, LoopbackServer> _servers = [];
    private readonly SocketReactor _reactor = new();

    protected override async Task<ConnectionPair> ConnectAsync(ConnectionOptions options)
    {
        var tcp = new TcpOptions { Connection = options };
        if (!_servers.TryGetValue(options, out var server))
            _servers.Add(options, server = await LoopbackServer.StartAsync(options: tcp));
        var client = await RunUntilAsync(new TcpClientEndpoint(server.EndPoint, tcp).Connect(), "the client connected");
        var accepted = await server.NextAsync();
        if (!Equals(client.LocalEndPoint, accepted.RemoteEndPoint))
        {
            client.Dispose();
            throw new InvalidOperationException($"The server accepted {accepted.RemoteEndPoint}, not the client at {client.LocalEndPoint}.");
        }
        client.SendProxyHeader(ProxyHeader.V2((IPEndPoint)client.LocalEndPoint!, (IPEndPoint)client.RemoteEndPoint!));
        accepted.SendProxyHeader(ProxyHeader.V2((IPEndPoint)accepted.LocalEndPoint!, (IPEndPoint)accepted.RemoteEndPoint!));
        var proxiedClient = await RunUntilAsync(client.ReadProxyHeader(_reactor.Scheduler), "the server's header was read");
        var proxiedServer = await RunUntilAsync(accepted.ReadProxyHeader(_reactor.Scheduler), "the client's header was read");
        return new ConnectionPair(proxiedClient, proxiedServer);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        foreach (var server in _servers.Values)
            server.Dispose();
        _reactor.Dispose();
    }
}
