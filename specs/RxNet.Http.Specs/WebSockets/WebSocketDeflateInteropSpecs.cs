using System.Globalization;
using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using RxNet.Http.Specs.Server;
using RxNet.Http.Specs.WebSockets.Client;
using RxNet.Sockets;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>permessage-deflate against Debian's <c>python3-websockets</c> over 127.0.0.1, both directions: its client
/// offers it by default, and its server answers with 12-bit windows both ways (so the RxNet client sends what is longer
/// than 4 KiB uncompressed).</summary>
[Trait("Category", "Integration")]
[Collection(HttpInteropSpecs.Collection)]
public sealed class WebSocketDeflateInteropSpecs
{
    private const string PythonClient = """
        import asyncio, sys, websockets
        async def main(port):
            async with websockets.connect(f"ws://127.0.0.1:{port}/", max_size=None) as ws:
                print("answer", ws.response_headers["Sec-WebSocket-Extensions"])
                text = "compressible " * 2000
                await ws.send(text); print("text", await ws.recv() == text)
                await ws.send(text); print("again", await ws.recv() == text)
                data = bytes(i % 7 for i in range(300000))
                await ws.send(data); print("binary", await ws.recv() == data)
                await ws.send(b""); print("empty", repr(await ws.recv()))
        asyncio.run(main(int(sys.argv[1])))
        """;

    private const string PythonServer = """
        import asyncio, sys, websockets
        async def handler(ws, path=None):
            print("answer", ws.response_headers["Sec-WebSocket-Extensions"], flush=True)
            async for message in ws:
                await ws.send(message)
        async def main():
            async with websockets.serve(handler, "127.0.0.1", 0, max_size=None) as server:
                print(server.sockets[0].getsockname()[1], flush=True)
                await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        asyncio.run(main())
        """;

    private static readonly WebSocketOptions Deflate = WebSocketOptions.Default with
    {
        Compression = WebSocketDeflateOptions.Default,
        MaxMessageSize = 4 * 1024 * 1024,
    };

    [Fact]
    public async Task PythonWebsocketsClient_OffersDeflate_TheServerAcceptsAndEchoesCompressed()
    {
        string python = await PeerRun.PythonWith("websockets", "python3-websockets");
        var extensions = new List<string>();
        using var reactor = new SocketReactor();
        var http = new HttpServer(request => Observable.Return(request.AcceptWebSocket(socket =>
        {
            lock (extensions)
                extensions.Add(socket.Extensions);
            socket.Messages.Subscribe(socket.Send.OnNext, _ => { });
        }, reactor.Scheduler, Deflate)), reactor.Scheduler);
        var bound = new TaskCompletionSource<EndPoint>();
        using var listening = http.Listen(reactor.ServerEndpoint("tcp:0:interface=127.0.0.1").Listen(bound.SetResult));
        var port = ((IPEndPoint)await bound.Task.WaitAsync(PeerRun.Bound, TestContext.Current.CancellationToken)).Port;

        var (code, output, error) = await PeerRun.RunAsync(python, "-c", PythonClient, port.ToString(CultureInfo.InvariantCulture));

        Assert.True(code == 0, $"python exited with {code}: {error}");
        Assert.Equal("answer permessage-deflate\ntext True\nagain True\nbinary True\nempty b''", output.ReplaceLineEndings("\n").TrimEnd());
        lock (extensions)
            Assert.Equal("permessage-deflate", Assert.Single(extensions));
    }

    [Fact]
    public async Task ConnectWebSocket_ToPythonWebsocketsServer_NegotiatesItsWindowsAndExchangesMessages()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var python = await PythonWebSocketServer.StartAsync(PythonServer);
        using var reactor = new SocketReactor();
        using var agent = new HttpAgent(reactor);

        var socket = await agent.ConnectWebSocket(new Uri($"ws://127.0.0.1:{python.Port}/"), Deflate).FirstAsync().ToTask(ct);
        var replies = socket.Messages.Replay();
        using var connected = replies.Connect();
        string text = string.Concat(Enumerable.Repeat("compressible ", 200));   // 2.6 KB: compressed within 12 bits
        byte[] data = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i % 7))]; // above 4 KiB: sent plain
        socket.Send.OnNext(WebSocketMessage.Text(text));
        socket.Send.OnNext(WebSocketMessage.Binary(data));
        socket.Send.OnNext(WebSocketMessage.Text(text));
        var echoes = await replies.Take(3).ToList().ToTask(ct).WaitAsync(PeerRun.Bound, ct);
        socket.Close();
        await socket.Closed.ToTask(ct).WaitAsync(PeerRun.Bound, ct);

        Assert.Equal("permessage-deflate; server_max_window_bits=12; client_max_window_bits=12", socket.Extensions);
        Assert.Equal(text, echoes[0].GetText());
        Assert.True(data.AsSpan().SequenceEqual(echoes[1].Data.Span), "300 KB echoed byte for byte");
        Assert.Equal(text, echoes[2].GetText());
        Assert.Equal("answer permessage-deflate; server_max_window_bits=12; client_max_window_bits=12\n", await python.StopAsync());
    }
}
