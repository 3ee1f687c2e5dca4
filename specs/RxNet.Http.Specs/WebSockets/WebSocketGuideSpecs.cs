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
    public void Guide_Client_OpensASocketAndExchangesAMessage()
    {
        var network = new SimulatedNetwork(scheduler);
        var server = new HttpServer(request => Observable.Return(request.AcceptWebSocket(socket => socket.Messages.Subscribe(socket.Send.OnNext),
            scheduler, WebSocketOptions.Default with { Subprotocols = ["chat"] })), scheduler);
        using var listening = server.Listen(network.Host("chat.example").Reactor.ServerEndpoint("tcp:80").Listen());
        var reactor = network.Host("client").Reactor;

        using var agent = new HttpAgent(reactor);
        agent.ConnectWebSocket(new Uri("ws://chat.example/chat"),
                WebSocketOptions.Default with { Subprotocols = ["chat.v2", "chat"] },
                new WebSocketClientOptions { Origin = "https://app.example", Headers = [new("Authorization", "Bearer t0k3n")] })
            .Subscribe(socket =>
            {
                socket.Messages.Subscribe(message => events.Add($"{socket.Subprotocol}: {message.GetText()}"));
                socket.Send.OnNext(WebSocketMessage.Text("hello"));
            }, error => events.Add(error.Message));
        scheduler.AdvanceBy(20 * SimulatedWebSocket.Ms);

        Assert.Equal(["chat: hello"], events);
    }

    [Fact]
    public void Guide_EveryCodeBlock_IsInTheseSpecs() =>
        RxNet.Testing.Specs.DocSnippets.AssertEveryBlockAppearsIn("docs/websocket.md", "specs/RxNet.Http.Specs/WebSockets/WebSocketGuideSpecs.cs");

    private string Exchange(HttpServer server, string path, byte[] frames)
    {
        var network = new SimulatedNetwork(scheduler);
        var client = network.ConnectTo(server.Serve);
        var received = new StringBuilder();
        client.Input.Subscribe(chunk => received.Append(Encoding.Latin1.GetString(chunk.Span)));
        client.Output.OnNext(Encoding.ASCII.GetBytes(SimulatedWebSocket.Request().Replace("/chat", path, StringComparison.Ordinal)));
        client.Output.OnNext(frames);
        scheduler.AdvanceBy(10 * SimulatedWebSocket.Ms);
        return received.ToString();
    }
}
