using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>
/// Closes that close, on real sockets: <c>LoseConnection</c> and <see cref="IConnection.Close"/> release the socket
/// once the output is flushed, whatever the peer does, and the recipe "send, read the reply, close" ends both sides
/// cleanly (no reset, no hang). The same facts for every transport are in the contract suite
/// (<see cref="TcpTransportContractSpecs"/>).
/// </summary>
[Trait("Category", "Integration")]
public sealed class CloseSpecs
{
    [Fact]
    public async Task LoseConnection_ServerProtocolWhileTheClientKeepsItsEndOpen_ClientGetsEveryByteThenTheEnd()
    {
        var data = new byte[300_000];
        new Random(13).NextBytes(data);
        var lost = new TaskCompletionSource<ConnectionClosed>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var reactor = new SocketReactor();
        using var port = reactor.ListenTcp(0, new OneProtocol(() => new SendAndLose(data, lost)), @interface: "127.0.0.1");
        using var client = await Peer.ConnectRawAsync(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)port.Host).Port));

        var received = await ReadToEndAsync(client); // the client never shuts its side down

        Assert.Equal(data, received);
        Assert.Equal(ConnectionCloseReason.LocalClose, (await lost.Task.Within()).Reason);
    }

    [Fact]
    public async Task Close_AfterReadingTheReplyFromARealServer_BothSidesCloseCleanly()
    {
        using var server = await LoopbackServer.StartAsync(c => c.Input.Subscribe(c.Output));
        using var client = await Peer.ConnectAsync(server.EndPoint);
        using var serverSide = await server.NextAsync();

        client.Output.WriteLine("hello");
        var reply = await client.Input.Lines().FirstAsync().ToTask(Bounded.Cancel).Within();
        client.Close();

        Assert.Equal("hello", reply);
        Assert.Equal(ConnectionCloseReason.LocalClose, (await client.ClosedWithin()).Reason);
        var closed = await serverSide.ClosedWithin();
        Assert.Equal(ConnectionCloseReason.PeerClose, closed.Reason); // not Reset: the server logs a clean close
        Assert.Null(closed.Error);
    }

    [Fact]
    public async Task Input_AwaitedFirstLineThenLinesAgainAtOnce_GetsTheSecondLine()
    {
        using var server = await LoopbackServer.StartAsync();
        using var client = await Peer.ConnectAsync(server.EndPoint);
        using var serverSide = await server.NextAsync();

        serverSide.Output.OnNext("one\r\ntwo\r\n"u8.ToArray());
        var first = await client.Input.Lines().FirstAsync();
        var second = await client.Input.Lines().FirstAsync().ToTask(Bounded.Cancel).Within();

        Assert.Equal("one", first);
        Assert.Equal("two", second);
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, Bounded.Cancel).AsTask().Within(); // a reset throws
            if (n == 0)
                return all.ToArray();
            all.Write(buffer, 0, n);
        }
    }

    private sealed class OneProtocol(Func<Protocol> build) : Factory
    {
        public override Protocol BuildProtocol(EndPoint? address) => build();
    }

    private sealed class SendAndLose(byte[] data, TaskCompletionSource<ConnectionClosed> lost) : Protocol
    {
        public override void ConnectionMade()
        {
            Transport.Write(data);
            Transport.LoseConnection();
        }

        public override void ConnectionLost(ConnectionClosed reason) => lost.TrySetResult(reason);
    }
}
