using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using RxNet.Sockets.Internal;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>
/// A reset that meets a send rather than a read still closes with Reset. (A reset that meets a read is a
/// spec of the transport contract: see <see cref="TcpTransportContractSpecs"/>.)
/// </summary>
[Trait("Category", "Integration")]
public sealed class PeerResetSpecs
{
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

    [Fact]
    public async Task Input_PeerResetMetByASendFirst_FailsWithConnectionReset()
    {
        using var server = await LoopbackServer.StartAsync();
        using var peer = await Peer.ConnectRawAsync(server.EndPoint);
        using var connection = await server.NextAsync();

        Reset(peer);
        Assert.True(((SocketConnection)connection).Socket.Poll(Bounded.Short, SelectMode.SelectRead), "the reset never arrived");
        connection.Output.OnNext(new byte[1024]);
        await connection.ClosedWithin();

        // Read only now: the reset the send met is what the input reports, not an abort by this side.
        var error = await Assert.ThrowsAsync<ConnectionResetException>(() => connection.Input.ToTask(Bounded.Cancel));
        Assert.Contains("reset by the peer", error.Message);
    }

    private static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }
}
