using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using RxNet.Sockets.Internal;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary><c>sndbuf=</c> and <c>rcvbuf=</c>: the kernel buffers of accepted and connected sockets are the sizes asked for.</summary>
public sealed class SocketBufferSpecs
{
    // The second pair differs from Linux's usual defaults after doubling (16 KiB send, 128 KiB receive), so a
    // size that was never set cannot pass for one that was.
    [Theory]
    [InlineData(65536, 32768)]
    [InlineData(24576, 40960)]
    public async Task ServerEndpoint_BufferKeys_AcceptedSocketsHaveThoseBuffers(int receive, int send)
    {
        var endpoint = TcpServerEndpoint.Parse($"tcp:0:interface=127.0.0.1:rcvbuf={receive}:sndbuf={send}");
        var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var accepted = new TaskCompletionSource<IConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listening = endpoint.Listen(bound.SetResult).Subscribe(c => accepted.TrySetResult(c), e => accepted.TrySetException(e));
        using var client = await Peer.ConnectRawAsync((IPEndPoint)await bound.Task.Within());

        using var connection = await accepted.Task.Within();

        AssertBuffers(connection, receive, send);
    }

    [Theory]
    [InlineData(65536, 32768)]
    [InlineData(24576, 40960)]
    public async Task ClientEndpoint_BufferKeys_ConnectedSocketHasThoseBuffers(int receive, int send)
    {
        using var server = await LoopbackServer.StartAsync();
        var endpoint = TcpClientEndpoint.Parse($"tcp:127.0.0.1:{server.Port}:rcvbuf={receive}:sndbuf={send}");

        using var connection = await endpoint.Connect().FirstWithin();

        AssertBuffers(connection, receive, send);
    }

    [Fact]
    public async Task UnixServerEndpoint_BufferKeys_AcceptedSocketsHaveThoseBuffers()
    {
        var directory = Directory.CreateTempSubdirectory("rxnet-buffers-");
        try
        {
            string path = Path.Combine(directory.FullName, "s.sock");
            var endpoint = UnixServerEndpoint.Parse($"unix:{path}:rcvbuf=24576:sndbuf=40960");
            var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
            var accepted = new TaskCompletionSource<IConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var listening = endpoint.Listen(bound.SetResult).Subscribe(c => accepted.TrySetResult(c), e => accepted.TrySetException(e));
            await bound.Task.Within();
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(new UnixDomainSocketEndPoint(path), TestContext.Current.CancellationToken);

            using var connection = await accepted.Task.Within();

            AssertBuffers(connection, 24576, 40960);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void TcpOptions_BufferSizeBelowOneByte_Throws(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpOptions { SendBufferSize = size });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpOptions { ReceiveBufferSize = size });
    }

    private static void AssertBuffers(IConnection connection, int receive, int send)
    {
        var socket = Assert.IsType<SocketConnection>(connection).Socket;
        if (OperatingSystem.IsLinux())
        {
            // Linux doubles the request for its bookkeeping (well under the default wmem_max/rmem_max of 208 KiB).
            Assert.Equal(2 * send, socket.SendBufferSize);
            Assert.Equal(2 * receive, socket.ReceiveBufferSize);
            return;
        }
        using var fresh = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.InRange(socket.SendBufferSize, send, int.MaxValue);
        Assert.InRange(socket.ReceiveBufferSize, receive, int.MaxValue);
        Assert.NotEqual((fresh.SendBufferSize, fresh.ReceiveBufferSize), (socket.SendBufferSize, socket.ReceiveBufferSize));
    }
}
