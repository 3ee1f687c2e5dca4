using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using RxNet.Sockets.Internal;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>A peer that resets (RST) the connection ends the input with a typed error and Closed says Reset.</summary>
[Trait("Category", "Integration")]
public sealed class PeerResetSpecs
{
    [Fact]
    public async Task Input_PeerResets_FailsWithConnectionResetException()
    {
        using var server = await LoopbackServer.StartAsync();
        using var peer = await Peer.ConnectRawAsync(server.EndPoint);
        using var connection = await server.NextAsync();
        var input = new InputCollector();
        using var subscription = connection.Input.Subscribe(input);

        await peer.SendAllAsync("ping"u8.ToArray());
        await input.WhenReceived(4); // the server is reading when the reset comes
        Reset(peer);

        var end = await input.End.Within();
        Assert.IsType<ConnectionResetException>(end.Error);
        Assert.Equal("ping"u8.ToArray(), end.Bytes);
        var closed = await connection.ClosedWithin();
        Assert.Equal(ConnectionCloseReason.Reset, closed.Reason);
        Assert.IsType<ConnectionResetException>(closed.Error);
        Assert.False(closed.IsClean);
    }

    [Fact]
    public async Task Input_ServerResetsClient_FailsWithConnectionResetException()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var accepting = listener.AcceptAsync(Bounded.Cancel).AsTask();
        using var client = await Peer.ConnectAsync((IPEndPoint)listener.LocalEndPoint!);
        using var peer = await accepting.Within();
        var input = new InputCollector();
        using var subscription = client.Input.Subscribe(input);

        Reset(peer);

        var end = await input.End.Within();
        Assert.IsType<ConnectionResetException>(end.Error);
        Assert.Equal(ConnectionCloseReason.Reset, (await client.ClosedWithin()).Reason);
    }

    [Fact]
    public async Task Output_PeerResetBeforeASend_ClosedReportsReset()
    {
        using var server = await LoopbackServer.StartAsync();
        using var peer = await Peer.ConnectRawAsync(server.EndPoint);
        using var connection = await server.NextAsync();
        var writableEnded = connection.Output.Writable.LastOrDefaultAsync().ToTask(Bounded.Cancel);

        Reset(peer);
        // Nobody reads the input, so the send is what meets the reset. Wait (bounded) for the RST to
        // reach the server's socket, which makes it readable, so that the send cannot get in first.
        Assert.True(((SocketConnection)connection).Socket.Poll(Bounded.Short, SelectMode.SelectRead), "the reset never arrived");
        connection.Output.OnNext(new byte[1024]);

        var closed = await connection.ClosedWithin();
        Assert.Equal(ConnectionCloseReason.Reset, closed.Reason);
        Assert.IsType<ConnectionResetException>(closed.Error);
        await writableEnded.Within(); // the output is finished: its Writable completed
    }

    private static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }
}
