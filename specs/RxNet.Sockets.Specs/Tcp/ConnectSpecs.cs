using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RxNet.Sockets.Internal;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>Connecting: IPv4 and IPv6, socket options, and the typed error when nobody listens.</summary>
[Trait("Category", "Integration")]
public sealed class ConnectSpecs
{
    [Fact]
    public async Task Echo_OverIPv6Loopback_RoundTrips()
    {
        Assert.SkipUnless(Socket.OSSupportsIPv6, "the system has no IPv6");
        using var server = await LoopbackServer.StartAsync(c => c.Input.Subscribe(c.Output), IPAddress.IPv6Loopback);
        using var client = await new TcpClientEndpoint("::1", server.Port).Connect().FirstWithin();
        var remote = Assert.IsType<IPEndPoint>(client.RemoteEndPoint);
        Assert.Equal(IPAddress.IPv6Loopback, remote.Address);
        Assert.Equal(server.Port, remote.Port);
        Assert.Equal(AddressFamily.InterNetworkV6, Assert.IsType<IPEndPoint>(client.LocalEndPoint).AddressFamily);
        var input = new InputCollector();
        using var subscription = client.Input.Subscribe(input);

        client.Output.OnNext(Encoding.UTF8.GetBytes("hello over ::1"));
        client.Output.OnCompleted();

        var end = await input.End.Within();
        Assert.Null(end.Error);
        Assert.Equal("hello over ::1", Encoding.UTF8.GetString(end.Bytes));
        Assert.True((await client.ClosedWithin()).IsClean);
    }

    [Fact]
    public async Task NoDelay_Default_IsOnForAcceptedAndConnectedSockets()
    {
        using var server = await LoopbackServer.StartAsync();
        using var client = await Peer.ConnectAsync(server.EndPoint);
        using var accepted = await server.NextAsync();

        Assert.True(((SocketConnection)client).Socket.NoDelay, "the connected socket has Nagle on");
        Assert.True(((SocketConnection)accepted).Socket.NoDelay, "the accepted socket has Nagle on");
    }

    [Fact]
    public async Task NoDelay_TurnedOffInOptions_LeavesNagleOn()
    {
        var options = new TcpOptions { NoDelay = false };
        using var server = await LoopbackServer.StartAsync(options: options);
        using var client = await Peer.ConnectAsync(server.EndPoint, options);
        using var accepted = await server.NextAsync();

        Assert.False(((SocketConnection)client).Socket.NoDelay);
        Assert.False(((SocketConnection)accepted).Socket.NoDelay);
    }

    [Fact]
    public async Task Connect_NobodyListens_FailsWithConnectionRefusedException()
    {
        // Bound but not listening: the port is certainly refused and nobody else can take it meanwhile.
        using var placeholder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        placeholder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)placeholder.LocalEndPoint!).Port;

        var error = await Assert.ThrowsAsync<ConnectionRefusedException>(
            () => new TcpClientEndpoint("127.0.0.1", port).Connect().FirstWithin());

        Assert.Contains(port.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        var inner = Assert.IsType<SocketException>(error.InnerException);
        Assert.Equal(SocketError.ConnectionRefused, inner.SocketErrorCode);
    }

    [Fact]
    public async Task LocalEndPoint_ReadOnlyAfterClose_StillNamesTheAddress()
    {
        using var server = await LoopbackServer.StartAsync();
        using var client = await Peer.ConnectAsync(server.EndPoint);
        using var accepted = await server.NextAsync();
        var expected = accepted.RemoteEndPoint;

        client.Dispose();
        await client.ClosedWithin();

        Assert.Equal(expected, client.LocalEndPoint);
    }
}
