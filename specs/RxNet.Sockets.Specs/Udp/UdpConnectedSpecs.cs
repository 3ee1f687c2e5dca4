using System.Net;
using System.Net.Sockets;
using RxNet.Sockets.Specs.Tcp;
using Xunit;
using static RxNet.Sockets.Specs.Udp.UdpSockets;

namespace RxNet.Sockets.Specs.Udp;

/// <summary>Connected UDP sockets on loopback (Twisted's <c>transport.connect</c>): the peer's datagrams only,
/// sends to it only, and the kernel's ICMP port-unreachable as <see cref="ConnectionRefusedException"/>.</summary>
[Trait("Category", "Integration")]
public sealed class UdpConnectedSpecs : IDisposable
{
    private readonly UdpSockets _sockets = new();

    public void Dispose() => _sockets.Dispose();

    [Fact]
    public async Task Connected_EndpointString_EchoComesBackFromThePeerItNames()
    {
        var server = await _sockets.BindAsync();
        server.Input.Subscribe(d => server.Output.OnNext(d));
        int port = ((IPEndPoint)server.LocalEndPoint).Port;
        var client = await _sockets.BindAsync($"udp:0:interface=127.0.0.1:remoteHost=127.0.0.1:remotePort={port}");
        var received = Collect(client);

        client.Output.OnNext(Text("ping", client.RemoteEndPoint!));
        var echo = await received.NextAsync();

        Assert.Equal(server.LocalEndPoint, client.RemoteEndPoint);
        Assert.Equal("ping", Text(echo));
        Assert.Equal(server.LocalEndPoint, echo.RemoteEndPoint);
        Assert.Null(server.RemoteEndPoint);
    }

    [Fact]
    public async Task Connected_StrangerThenPeerSend_OnlyThePeersDatagramsArrive()
    {
        var peer = await _sockets.BindAsync();
        var stranger = await _sockets.BindAsync();
        var client = await _sockets.BindAsync(Connected(peer));
        var received = Collect(client);

        stranger.Output.OnNext(Text("stranger", client.LocalEndPoint));
        peer.Output.OnNext(Text("one", client.LocalEndPoint));
        stranger.Output.OnNext(Text("stranger", client.LocalEndPoint));
        peer.Output.OnNext(Text("two", client.LocalEndPoint));

        Assert.Equal("one", Text(await received.NextAsync()));
        Assert.Equal("two", Text(await received.NextAsync()));
    }

    [Fact]
    public async Task Connected_SendToAnotherAddress_ThrowsArgumentExceptionNamingIt()
    {
        var peer = await _sockets.BindAsync();
        var client = await _sockets.BindAsync(Connected(peer));
        var other = new IPEndPoint(IPAddress.Loopback, 9);

        var error = Assert.Throws<ArgumentException>(() => client.Output.OnNext(Text("x", other)));

        Assert.Contains(other.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("only to its peer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connected_PeerPortRefuses_InputFailsWithConnectionRefusedAndReadsOnWhenSubscribedAgain()
    {
        // The peer's port is bound, but by a socket connected elsewhere: the kernel finds no socket for our
        // datagrams and answers with ICMP port unreachable, as for a closed port, with no port left free to race for.
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        peer.Connect(new IPEndPoint(IPAddress.Loopback, 9));
        var peerAddress = (IPEndPoint)peer.LocalEndPoint!;
        var client = await _sockets.BindAsync($"udp:0:interface=127.0.0.1:remoteHost=127.0.0.1:remotePort={peerAddress.Port}");
        var first = Collect(client);

        client.Output.OnNext(Text("anyone?", peerAddress));
        var refused = await Assert.ThrowsAsync<ConnectionRefusedException>(() => first.NextAsync());

        Assert.Contains(peerAddress.ToString(), refused.Message, StringComparison.Ordinal);
        peer.Connect(client.LocalEndPoint);
        var second = Collect(client);
        peer.Send("back"u8);
        Assert.Equal("back", Text(await second.NextAsync()));
        client.Output.OnNext(Text("again", peerAddress));
        var buffer = new byte[16];
        int n = await peer.ReceiveAsync(buffer, SocketFlags.None, Bounded.Cancel).AsTask().Within();
        Assert.Equal("again", System.Text.Encoding.UTF8.GetString(buffer, 0, n));
    }

    [Fact]
    public async Task Connected_RefusalWhileNobodyReads_FailsTheNextSubscriber()
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        peer.Connect(new IPEndPoint(IPAddress.Loopback, 9));
        var peerAddress = (IPEndPoint)peer.LocalEndPoint!;
        var client = await _sockets.BindAsync($"udp:0:interface=127.0.0.1:remoteHost=127.0.0.1:remotePort={peerAddress.Port}");

        // Loopback answers within the send; the refusal then waits for a reader, whichever call meets it first.
        client.Output.OnNext(Text("one", peerAddress));
        client.Output.OnNext(Text("two", peerAddress));
        var received = Collect(client);

        await Assert.ThrowsAsync<ConnectionRefusedException>(() => received.NextAsync());
    }

    [Fact]
    public void Connected_RemoteOfAnotherFamily_IsRefusedByTheConstructor()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new UdpEndpoint(new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.IPv6Loopback, 53)));

        Assert.Contains("family", error.Message, StringComparison.Ordinal);
    }

    private static string Connected(IDatagramSocket peer) =>
        $"udp:0:interface=127.0.0.1:remoteHost=127.0.0.1:remotePort={((IPEndPoint)peer.LocalEndPoint).Port}";
}
