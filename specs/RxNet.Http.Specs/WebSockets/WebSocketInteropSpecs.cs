using System.Globalization;
using System.Net;
using System.Reactive.Linq;
using RxNet.Sockets;
using RxNet.Http.Specs.Server;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>Debian's <c>python3-websockets</c> (an independent implementation) as a client of the RxNet server over
/// 127.0.0.1: text, binary, 0 B to 16 MiB, fragmented, ping/pong, close codes both ways, and a declined
/// permessage-deflate offer.</summary>
[Trait("Category", "Integration")]
[Collection(HttpInteropSpecs.Collection)]
public sealed class WebSocketInteropSpecs
{
    private const string Client = """
        import asyncio, sys, websockets
        async def main(port):
            # The default client offers permessage-deflate: the server declines it by not answering.
            async with websockets.connect(f"ws://127.0.0.1:{port}/echo", max_size=None, subprotocols=["chat"]) as ws:
                print("subprotocol", ws.subprotocol, "extensions", len(ws.extensions))
                await ws.send("h\u00e9llo"); print("text", await ws.recv() == "h\u00e9llo")
                await ws.send(b"\x00\x01\xff"); print("binary", (await ws.recv()).hex())
                await ws.send(b""); print("empty", repr(await ws.recv()))
                big = bytes(i % 251 for i in range(16 * 1024 * 1024))
                await ws.send(big); echo = await ws.recv(); print("big", len(echo), echo == big)
                await ws.send(iter(["frag", "ment", "ed"])); print("fragmented", await ws.recv())
                await (await ws.ping(b"abc")); print("pong")
                await ws.close(code=4000, reason="done")
                print("closed", ws.close_code)
            async with websockets.connect(f"ws://127.0.0.1:{port}/bye") as ws:
                try:
                    await ws.recv(); await ws.recv()
                except websockets.ConnectionClosedOK as e:
                    print("server closed", e.rcvd.code, e.rcvd.reason)
        asyncio.run(main(int(sys.argv[1])))
        """;

    [Fact]
    public async Task PythonWebsockets_AgainstTheServer_ExchangesEveryKindOfMessageAndCloses()
    {
        string python = await PeerRun.PythonWith("websockets", "python3-websockets");
        var closed = new List<WebSocketClosed>();
        var options = WebSocketOptions.Default with { MaxMessageSize = 17 * 1024 * 1024, Subprotocols = ["chat"] };
        using var reactor = new SocketReactor();
        var http = new HttpServer(request => Observable.Return(request.AcceptWebSocket(socket =>
        {
            socket.Closed.Subscribe(c =>
            {
                lock (closed)
                    closed.Add(c);
            });
            if (request.Path == "/bye")
            {
                socket.Messages.Subscribe(_ => { }, _ => { });
                socket.Send.OnNext(WebSocketMessage.Text("first"));
                socket.Close(WebSocketCloseCode.GoingAway, "bye now");
            }
            else
            {
                socket.Messages.Subscribe(socket.Send.OnNext, _ => { });
            }
        }, reactor.Scheduler, options)), reactor.Scheduler);
        var bound = new TaskCompletionSource<EndPoint>();
        using var listening = http.Listen(reactor.ServerEndpoint("tcp:0:interface=127.0.0.1").Listen(bound.SetResult));
        var port = ((IPEndPoint)await bound.Task.WaitAsync(PeerRun.Bound, TestContext.Current.CancellationToken)).Port;

        var (code, output, error) = await PeerRun.RunAsync(python, "-c", Client, port.ToString(CultureInfo.InvariantCulture));

        Assert.True(code == 0, $"python exited with {code}: {error}");
        Assert.Equal(
            """
            subprotocol chat extensions 0
            text True
            binary 0001ff
            empty b''
            big 16777216 True
            fragmented fragmented
            pong
            closed 4000
            server closed 1001 bye now
            """.ReplaceLineEndings("\n"), output.ReplaceLineEndings("\n").TrimEnd());
        lock (closed)
        {
            Assert.Contains(new WebSocketClosed((WebSocketCloseCode)4000, "done", WebSocketClosedBy.Peer, true), closed);
            Assert.Contains(new WebSocketClosed(WebSocketCloseCode.GoingAway, "bye now", WebSocketClosedBy.Local, true), closed);
        }
    }
}
