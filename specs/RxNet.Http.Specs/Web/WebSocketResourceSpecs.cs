using System.Text;
using RxNet.Http.Specs.WebSockets;
using RxNet.Http.Web;

namespace RxNet.Http.Specs.Web;

/// <summary><see cref="WebSocketResource"/> in a resource tree served by a <see cref="Site"/>, on the simulated network
/// in virtual time: the handshake's answers, and a socket that works once open.</summary>
public sealed class WebSocketResourceSpecs
{
    private const long Ms = SimulatedWebSocket.Ms;

    private static SimulatedWebSocket Serve(Func<System.Reactive.Concurrency.IScheduler, Action<WebSocket>, Resource> resource)
    {
        SimulatedWebSocket? ws = null;
        ws = new SimulatedWebSocket(scheduler =>
        {
            var root = new Resource();
            root.PutChild("chat", resource(scheduler, socket => ws!.Opened(socket)));
            return new Site(root, scheduler).Handle;
        });
        return ws;
    }

    private static SimulatedWebSocket Echo() => Serve((scheduler, opened) => new WebSocketResource(socket =>
    {
        opened(socket);
        socket.Messages.WriteTo(socket.Send);
    }, scheduler));

    [Fact]
    public void WebSocketResource_HandshakeAtItsPath_Is101AndTheSocketEchoes()
    {
        var ws = Echo();

        string head = ws.Open();
        ws.Send(WireFrames.Concat(WireFrames.Text("hello"), WireFrames.Frame(2, [1, 2])));
        ws.Run(10 * Ms);

        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", head, StringComparison.Ordinal); // RFC 6455 §1.3
        Assert.Equal(["Text:hello", "Binary:0102"], ws.Frames());
        Assert.NotNull(ws.Socket);
    }

    [Fact]
    public void WebSocketResource_PlainGet_Is400AndNoSocketOpens()
    {
        var ws = Echo();

        ws.Send(Encoding.ASCII.GetBytes("GET /chat HTTP/1.1\r\nHost: server.example.com\r\n\r\n"));
        ws.Run(10 * Ms);

        Assert.StartsWith("HTTP/1.1 400 ", ws.Head(), StringComparison.Ordinal);
        Assert.Null(ws.Socket);
    }

    [Fact]
    public void WebSocketResource_Post_Is405AllowingGetAndHead()
    {
        var ws = Echo();

        ws.Send(Encoding.ASCII.GetBytes("POST /chat HTTP/1.1\r\nHost: server.example.com\r\nContent-Length: 0\r\n\r\n"));
        ws.Run(10 * Ms);

        Assert.StartsWith("HTTP/1.1 405 ", ws.Head(), StringComparison.Ordinal);
        Assert.Contains("Allow: GET, HEAD\r\n", ws.Head(), StringComparison.Ordinal);
    }

    [Fact]
    public void WebSocketResource_PathBelowIt_Is404()
    {
        var ws = Echo();

        ws.Send(Encoding.ASCII.GetBytes(SimulatedWebSocket.Request().Replace("GET /chat ", "GET /chat/room ", StringComparison.Ordinal)));
        ws.Run(10 * Ms);

        Assert.StartsWith("HTTP/1.1 404 ", ws.Head(), StringComparison.Ordinal);
        Assert.Null(ws.Socket);
    }

    [Fact]
    public void ForProtocol_ValidHandshake_BuildsOneProtocolFromTheRequest()
    {
        var built = new List<string>();
        var ws = Serve((scheduler, opened) => WebSocketResource.ForProtocol(request =>
        {
            built.Add($"{request.Path} {request.GetHeader("Host")}");
            return new OpenedProtocol(opened);
        }, scheduler));

        ws.Open();

        Assert.Equal(["/chat server.example.com"], built);
        Assert.NotNull(ws.Socket);
    }

    [Fact]
    public void ForProtocol_BadHandshake_BuildsNoProtocol()
    {
        int built = 0;
        var ws = Serve((scheduler, opened) => WebSocketResource.ForProtocol(_ =>
        {
            built++;
            return new OpenedProtocol(opened);
        }, scheduler));

        ws.Send(Encoding.ASCII.GetBytes(SimulatedWebSocket.Request(version: "8")));
        ws.Run(10 * Ms);

        Assert.StartsWith("HTTP/1.1 426 ", ws.Head(), StringComparison.Ordinal);
        Assert.Equal(0, built);
    }

    private sealed class OpenedProtocol(Action<WebSocket> opened) : WebSocketProtocol
    {
        public override void NegotiationStarted(WebSocketTransport transport) => opened(transport.Socket);
    }
}
