using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>The code of docs/websocket.md, compiled and run on the simulated network; the last spec checks that every
/// block of the guide appears here verbatim.</summary>
public sealed class WebSocketGuideSpecs
{
    private readonly TestScheduler scheduler = new();
    private readonly List<string> events = [];

    [Fact]
    public void Guide_AnEchoServer_EchoesOnWs()
    {
        var server = new HttpServer(request => Observable.Return(request.Path == "/ws"
            ? request.AcceptWebSocket(socket => socket.Messages.Subscribe(socket.Send.OnNext), scheduler)
            : HttpResponse.Status(404)), scheduler);

        string received = Exchange(server, "/ws", WireFrames.Text("hi"));

        Assert.StartsWith("HTTP/1.1 101", received, StringComparison.Ordinal);
        Assert.EndsWith("\u0081\u0002hi", received, StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_MessagesSendClosed_AnswersTextInCapitalsAndReportsTheClose()
    {
        var server = new HttpServer(request => Observable.Return(request.AcceptWebSocket(socket =>
        {
            socket.Messages.Subscribe(message =>
            {
                if (message.IsText)
                    socket.Send.OnNext(WebSocketMessage.Text(message.GetText().ToUpperInvariant()));
            });
            socket.Closed.Subscribe(closed => events.Add($"{closed.Code} {closed.Reason} by {closed.ClosedBy}, clean: {closed.WasClean}"));
        }, scheduler)), scheduler);

        string received = Exchange(server, "/", WireFrames.Concat(WireFrames.Text("hi"), WireFrames.Close(1000, "done")));

        Assert.Contains("\u0081\u0002HI", received, StringComparison.Ordinal);
        Assert.Equal(["NormalClosure done by Peer, clean: True"], events);
    }

    [Fact]
    public void Guide_TestingInVirtualTime_EchoesTheRfcsHello()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var server = new HttpServer(request => Observable.Return(
            request.AcceptWebSocket(socket => socket.Messages.Subscribe(socket.Send.OnNext), scheduler)), scheduler);
        var client = network.ConnectTo(server.Serve);
        var received = new StringBuilder();
        client.Input.Subscribe(chunk => received.Append(Encoding.Latin1.GetString(chunk.Span)));
        client.Output.OnNext(Encoding.ASCII.GetBytes(
            "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        client.Output.OnNext(new byte[] { 0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58 }); // "Hello", masked
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(10).Ticks);   // the 101, then 81 05 "Hello"

        Assert.EndsWith("\r\n\r\n\u0081\u0005Hello", received.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_Compression_AnswersTheOfferAndEchoesCompressed()
    {
        var server = new HttpServer(request =>
        {
            var options = WebSocketOptions.Default with { Compression = new WebSocketDeflateOptions { ServerNoContextTakeover = true } };
            var response = request.AcceptWebSocket(socket => socket.Messages.Subscribe(socket.Send.OnNext), scheduler, options);
            return Observable.Return(response);
        }, scheduler);

        // RFC 7692 §7.2.3.1's "Hello", compressed, from a client that offered permessage-deflate.
        string received = Exchange(server, "/", WireFrames.Frame(1, Convert.FromHexString("F248CDC9C90700"), rsv: 4),
            "Sec-WebSocket-Extensions: permessage-deflate\r\n");

        Assert.Contains("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n", received, StringComparison.Ordinal);
        Assert.EndsWith("\u00C1\u0007" + Encoding.Latin1.GetString(Convert.FromHexString("F248CDC9C90700")), received, StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_StreamedMessages_WritesTheBodyToAnotherConnection()
    {
        var network = new SimulatedNetwork(scheduler);
        var sink = new List<byte>();
        var upload = network.ConnectTo(c => c.Input.Subscribe(chunk => sink.AddRange(chunk.ToArray())));
        var server = new HttpServer(request =>
        {
            var options = WebSocketOptions.Default with { StreamThreshold = 64 * 1024, MaxStreamedMessageSize = 1L << 32 };
            return Observable.Return(request.AcceptWebSocket(socket =>
            {
                socket.Messages.Subscribe(message =>
                {
                    if (message.Body is { } body)
                        body.Subscribe(upload.Output, upload.Output.Writable); // paused while the upload cannot keep up, and the socket with it
                    else
                        events.Add(message.ToString());                         // whole, as without a threshold
                });
            }, scheduler, options));
        }, scheduler);
        byte[] big = new byte[200_000];
        new Random(3).NextBytes(big);

        Exchange(server, "/", WireFrames.Concat(WireFrames.Text("small"), WireFrames.Frame(2, big)), wait: 1000);

        Assert.Equal(["Text \"small\""], events);
        Assert.Equal(big, sink);
    }

    [Fact]
    public void Guide_EveryCodeBlock_IsInTheseSpecs() =>
        RxNet.Testing.Specs.DocSnippets.AssertEveryBlockAppearsIn("docs/websocket.md", "specs/RxNet.Http.Specs/WebSockets/WebSocketGuideSpecs.cs");

    private string Exchange(HttpServer server, string path, byte[] frames, string extraFields = "", long wait = 10)
    {
        var network = new SimulatedNetwork(scheduler);
        var client = network.ConnectTo(server.Serve);
        var received = new StringBuilder();
        client.Input.Subscribe(chunk => received.Append(Encoding.Latin1.GetString(chunk.Span)));
        client.Output.OnNext(Encoding.ASCII.GetBytes(SimulatedWebSocket.Request(extraFields).Replace("/chat", path, StringComparison.Ordinal)));
        client.Output.OnNext(frames);
        scheduler.AdvanceBy(wait * SimulatedWebSocket.Ms);
        return received.ToString();
    }
}
