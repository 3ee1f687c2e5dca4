using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Threading.Channels;
using RxNet.Http.Specs.Server;
using RxNet.Sockets;

namespace RxNet.Http.Specs.WebSockets.Client;

/// <summary>The client end against Debian's <c>python3-websockets</c> server (an independent implementation) over
/// 127.0.0.1: text, binary, 0 B to 16 MiB, fragmented both ways, the server's ping answered, close codes both ways.</summary>
[Trait("Category", "Integration")]
[Collection(HttpInteropSpecs.Collection)]
public sealed class WebSocketClientInteropSpecs
{
    private const string Server = """
        import asyncio, sys, websockets
        async def handler(ws, path=None):
            if ws.path == "/echo":
                try:
                    async for message in ws:
                        await ws.send(message)
                finally:
                    print("closed", ws.close_code, ws.close_reason, flush=True)
            elif ws.path == "/fragments":
                await ws.send(iter([b"frag", b"ment", b"ed"]))
                await ws.wait_closed()
            elif ws.path == "/ping":
                await (await ws.ping(b"abc"))
                await ws.send("pong seen")
                await ws.wait_closed()
            elif ws.path == "/bye":
                await ws.close(code=4001, reason="server bye")
        async def main():
            async with websockets.serve(handler, "127.0.0.1", 0, max_size=None, subprotocols=["chat"]) as server:
                print(server.sockets[0].getsockname()[1], flush=True)
                await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        asyncio.run(main())
        """;

    [Fact]
    public async Task ConnectWebSocket_ToPythonWebsockets_ExchangesEveryKindOfMessageAndCloses()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var python = await PythonWebSocketServer.StartAsync(Server);
        using var reactor = new SocketReactor();
        using var agent = new HttpAgent(reactor);
        var options = WebSocketOptions.Default with { MaxMessageSize = 17 * 1024 * 1024, SendFrameSize = 4096, Subprotocols = ["chat"] };
        Uri Url(string path) => new($"ws://127.0.0.1:{python.Port}{path}");

        var echo = await Open(agent.ConnectWebSocket(Url("/echo"), options), ct);
        Assert.Equal("chat", echo.Socket.Subprotocol);
        Assert.Equal("héllo", (await echo.Echo(WebSocketMessage.Text("héllo"), ct)).GetText());
        Assert.Equal([0, 1, 0xFF], (await echo.Echo(WebSocketMessage.Binary(new byte[] { 0, 1, 0xFF }), ct)).Data.ToArray());
        var empty = await echo.Echo(WebSocketMessage.Binary(Array.Empty<byte>()), ct);
        Assert.True(empty.Data.IsEmpty && !empty.IsText);
        byte[] big = [.. Enumerable.Range(0, 16 * 1024 * 1024).Select(i => (byte)(i % 251))];
        var bigEcho = await echo.Echo(WebSocketMessage.Binary(big), ct);
        Assert.True(big.AsSpan().SequenceEqual(bigEcho.Data.Span), "16 MiB echoed byte for byte");
        echo.Socket.Close((WebSocketCloseCode)4000, "done");
        Assert.Equal(new WebSocketClosed((WebSocketCloseCode)4000, "done", WebSocketClosedBy.Local, true), await echo.Closed(ct));

        var fragments = await Open(agent.ConnectWebSocket(Url("/fragments"), options), ct);
        Assert.Equal("667261676D656E746564", Convert.ToHexString((await fragments.Next(ct)).Data.Span));
        fragments.Socket.Close();
        Assert.True((await fragments.Closed(ct)).WasClean);

        var ping = await Open(agent.ConnectWebSocket(Url("/ping"), options), ct);
        Assert.Equal("pong seen", (await ping.Next(ct)).GetText());
        ping.Socket.Close();
        await ping.Closed(ct);

        var bye = await Open(agent.ConnectWebSocket(Url("/bye"), options), ct);
        Assert.Equal(new WebSocketClosed((WebSocketCloseCode)4001, "server bye", WebSocketClosedBy.Peer, true), await bye.Closed(ct));

        Assert.Equal("closed 4000 done\n", await python.StopAsync());
    }

    [Fact]
    public async Task ConnectWebSocket_PythonRefusesAPath_FailsWithTheResponse()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var python = await PythonWebSocketServer.StartAsync(Server.Replace(
            "max_size=None,", "process_request=lambda path, headers: (__import__(\"http\").HTTPStatus.NOT_FOUND, [], b\"no such socket\\n\"), max_size=None,", StringComparison.Ordinal));
        using var reactor = new SocketReactor();
        using var agent = new HttpAgent(reactor);

        var error = await Assert.ThrowsAsync<WebSocketUpgradeRejectedException>(() =>
            agent.ConnectWebSocket(new Uri($"ws://127.0.0.1:{python.Port}/nowhere")).ToTask(ct).WaitAsync(PeerRun.Bound, ct));

        Assert.Equal(404, error.Response.StatusCode);
        Assert.Equal("no such socket\n", System.Text.Encoding.UTF8.GetString((await error.Response.Body!.ToArray()).SelectMany(c => c.ToArray()).ToArray()));
        await python.StopAsync();
    }

    private static async Task<Peer> Open(IObservable<WebSocket> connect, CancellationToken ct) =>
        new(await connect.ToTask(ct).WaitAsync(PeerRun.Bound, ct));

    /// <summary>A socket whose messages are queued as they come, read one at a time within the bound.</summary>
    private sealed class Peer
    {
        private readonly Channel<WebSocketMessage> _messages = Channel.CreateUnbounded<WebSocketMessage>();
        private readonly TaskCompletionSource<WebSocketClosed> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Peer(WebSocket socket)
        {
            Socket = socket;
            socket.Closed.Subscribe(c => _closed.TrySetResult(c));
            socket.Messages.Subscribe(m => _messages.Writer.TryWrite(m), e => _messages.Writer.TryComplete(e), () => _messages.Writer.TryComplete());
        }

        public WebSocket Socket { get; }

        public async Task<WebSocketMessage> Next(CancellationToken ct) => await _messages.Reader.ReadAsync(ct).AsTask().WaitAsync(PeerRun.Bound, ct);

        public async Task<WebSocketMessage> Echo(WebSocketMessage message, CancellationToken ct)
        {
            Socket.Send.OnNext(message);
            return await Next(ct);
        }

        public Task<WebSocketClosed> Closed(CancellationToken ct) => _closed.Task.WaitAsync(PeerRun.Bound, ct);
    }
}
