using System.Reactive.Linq;
using RxNet.Http.Specs.Client;
using RxNet.Http.WebSockets.Internal;
using static RxNet.Http.Specs.WebSockets.Client.RawWebSocketServer;

namespace RxNet.Http.Specs.WebSockets.Client;

/// <summary>The client's opening handshake (RFC 6455 §4.1) on a simulated network in virtual time: what it sends, every
/// answer it must refuse, its timeout, and giving up.</summary>
public sealed class WebSocketClientHandshakeSpecs
{
    private const long Ms = AgentHarness.Ms;

    [Fact]
    public void ConnectWebSocket_SendsTheHandshakeWithAFreshKeyEachTime()
    {
        using var h = Start(head => Accept(head));
        var options = WebSocketOptions.Default with { Subprotocols = ["superchat", "chat"] };
        var client = new WebSocketClientOptions { Origin = "https://app.example", Headers = [new("Authorization", "Bearer t")] };

        var first = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/chat?room=1"), options, client), h.Scheduler);
        h.Run(10 * Ms);
        var second = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/chat"), options, client), h.Scheduler);
        h.Run(10 * Ms);

        Assert.NotNull(first.Socket);
        Assert.NotNull(second.Socket);
        string head = Head(h);
        Assert.StartsWith("GET /chat?room=1 HTTP/1.1\r\n", head, StringComparison.Ordinal);
        foreach (string field in new[] { "Host: server", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Protocol: superchat, chat", "Origin: https://app.example", "Authorization: Bearer t" })
            Assert.Contains("\r\n" + field + "\r\n", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Sec-WebSocket-Extensions", head, StringComparison.Ordinal);
        Assert.True(Handshake.IsValidKey(Key(head)), Key(head));
        var keys = h.RawReceived.ToString().Split("\r\n").Where(l => l.StartsWith("Sec-WebSocket-Key: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, keys.Count);
        Assert.NotEqual(keys[0], keys[1]);
    }

    [Fact]
    public void ConnectWebSocket_ServerSelectsAnOfferedSubprotocol_TheSocketSaysWhich()
    {
        AgentHarness h = null!;
        h = new AgentHarness(request => Observable.Return(request.AcceptWebSocket(_ => { }, h.Scheduler,
            WebSocketOptions.Default with { Subprotocols = ["chat", "v2"] })));
        using var _ = h;

        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/"), WebSocketOptions.Default with { Subprotocols = ["v2", "chat"] }), h.Scheduler);
        h.Run(10 * Ms);

        Assert.Equal("chat", run.Socket?.Subprotocol);
    }

    [Theory]
    [InlineData(400, "Bad Request")]
    [InlineData(401, "Unauthorized")]
    [InlineData(403, "Forbidden")]
    [InlineData(404, "Not Found")]
    [InlineData(426, "Upgrade Required")]
    [InlineData(302, "Found")]
    [InlineData(200, "OK")]
    [InlineData(503, "Service Unavailable")]
    public void ConnectWebSocket_AnswerOtherThan101_FailsWithTheResponseAndItsBody(int status, string reason)
    {
        using var h = Start(_ => $"HTTP/1.1 {status} {reason}\r\nContent-Length: 7\r\nSec-WebSocket-Version: 13\r\n\r\nno, sir");

        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/chat")), h.Scheduler);
        h.Run(10 * Ms);

        var rejected = Assert.IsType<WebSocketUpgradeRejectedException>(run.Error);
        Assert.Equal(status, rejected.Response.StatusCode);
        Assert.Equal("13", rejected.Response.Headers["Sec-WebSocket-Version"]);
        Assert.Equal("no, sir", run.RejectionBody());
        Assert.Null(run.Socket);
    }

    [Fact]
    public void ConnectWebSocket_TheServerRefusesTheOrigin_Fails403()
    {
        AgentHarness h = null!;
        h = new AgentHarness(request => Observable.Return(request.AcceptWebSocket(_ => { }, h.Scheduler,
            WebSocketOptions.Default with { CheckOrigin = origin => origin == "https://good.example" })));
        using var _ = h;

        var bad = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/"), null, new WebSocketClientOptions { Origin = "https://evil.example" }), h.Scheduler);
        var good = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/"), null, new WebSocketClientOptions { Origin = "https://good.example" }), h.Scheduler);
        h.Run(10 * Ms);

        Assert.Equal(403, Assert.IsType<WebSocketUpgradeRejectedException>(bad.Error).Response.StatusCode);
        Assert.Contains("origin", bad.RejectionBody(), StringComparison.Ordinal);
        Assert.NotNull(good.Socket);
    }

    [Fact]
    public void ConnectWebSocket_RefusalWithALongBody_ReadsOnlyUpToTheBoundAndClosesTheConnection()
    {
        using var h = Start(_ => "HTTP/1.1 404 Not Found\r\nContent-Length: 100000\r\n\r\n" + new string('x', 100_000));

        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/"), null, new WebSocketClientOptions { MaxRejectionBodySize = 16 }), h.Scheduler);
        h.Run(100 * Ms);

        var rejected = Assert.IsType<WebSocketUpgradeRejectedException>(run.Error);
        Assert.Equal(new string('x', 16), run.RejectionBody());
        Assert.Equal(16, rejected.Response.ContentLength);
        Assert.Equal(1, h.ServerConnectionsClosed);
    }

    public static TheoryData<string, HttpProtocolError> BadAnswers => new()
    {
        { "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", HttpProtocolError.WebSocketHandshakeInvalid },
        { "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", HttpProtocolError.WebSocketHandshakeInvalid },
        { "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Accept: {accept}\r\n\r\n", HttpProtocolError.WebSocketHandshakeInvalid },
        { "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n", HttpProtocolError.WebSocketHandshakeInvalid },
        { "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n", HttpProtocolError.WebSocketHandshakeInvalid },
        { "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {accept}\r\n\r\n", HttpProtocolError.WebSocketHandshakeInvalid },
        { "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: other\r\n\r\n", HttpProtocolError.WebSocketNegotiationInvalid },
        { "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: chat, v2\r\n\r\n", HttpProtocolError.WebSocketNegotiationInvalid },
        { "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n", HttpProtocolError.WebSocketNegotiationInvalid },
        { "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Extensions: x-custom; a=1\r\n\r\n", HttpProtocolError.WebSocketNegotiationInvalid },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public void ConnectWebSocket_101ThatBreaksTheHandshake_FailsTheConnection(string answer, HttpProtocolError error)
    {
        using var h = Start(head => answer.Replace("{accept}", Handshake.Accept(Key(head)), StringComparison.Ordinal));

        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/"), WebSocketOptions.Default with { Subprotocols = ["chat", "v2"] }), h.Scheduler);
        h.Run(10 * Ms);

        var failure = Assert.IsType<HttpProtocolException>(run.Error);
        Assert.Equal(error, failure.Error);
        Assert.Equal(502, failure.StatusCode);
        Assert.Null(run.Socket);
        Assert.Equal(1, h.ServerConnectionsClosed);
    }

    [Fact]
    public void ConnectWebSocket_AValid101WithCaseAndListVariations_Opens()
    {
        using var h = Start(head => "HTTP/1.1 101 Switching Protocols\r\nUPGRADE: WebSocket\r\nConnection: keep-alive, UPGRADE\r\n" +
            $"Sec-WebSocket-Accept: {Handshake.Accept(Key(head))}\r\nSec-WebSocket-Protocol: v2\r\n\r\n");

        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/"), WebSocketOptions.Default with { Subprotocols = ["chat", "v2"] }), h.Scheduler);
        h.Run(10 * Ms);

        Assert.Equal("v2", run.Socket?.Subprotocol);
    }

    [Fact]
    public void ConnectWebSocket_NoAnswer_FailsAtTheHandshakeTimeoutAndAbortsTheConnection()
    {
        using var h = Start(_ => "");
        var client = new WebSocketClientOptions { HandshakeTimeout = TimeSpan.FromSeconds(3) };
        var closed = new List<ConnectionClosed>();

        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/"), null, client), h.Scheduler);
        h.Run(10 * Ms);
        h.ServerConnections[0].Closed.Subscribe(closed.Add);
        h.Scheduler.AdvanceTo(3 * TimeSpan.TicksPerSecond - 1);
        Assert.Null(run.Error);
        h.Run(10 * Ms);

        Assert.IsType<TimeoutException>(run.Error);
        Assert.Equal(3 * TimeSpan.TicksPerSecond, run.FailedAt);
        Assert.Equal(ConnectionCloseReason.Reset, Assert.Single(closed).Reason);
    }

    [Fact]
    public void ConnectWebSocket_DefaultHandshakeTimeout_IsTenSeconds()
    {
        using var h = Start(_ => "");

        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/")), h.Scheduler);
        h.Run(20 * TimeSpan.TicksPerSecond);

        Assert.IsType<TimeoutException>(run.Error);
        Assert.Equal(10 * TimeSpan.TicksPerSecond, run.FailedAt);
    }

    [Fact]
    public void ConnectWebSocket_DisposedMidHandshake_AbortsTheConnectionAndEmitsNothing()
    {
        using var h = Start(head => Accept(head));
        h.Network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(50) });
        var closed = new List<ConnectionClosed>();

        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/")), h.Scheduler);
        h.Run(120 * Ms); // connected, request sent, the 101 on its way
        Assert.Single(h.ServerConnections);
        h.ServerConnections[0].Closed.Subscribe(closed.Add);
        run.Subscription.Dispose();
        h.Run(1000 * Ms);

        Assert.Null(run.Socket);
        Assert.Null(run.Error);
        Assert.Equal(ConnectionCloseReason.Reset, Assert.Single(closed).Reason);
    }

    [Fact]
    public void ConnectWebSocket_WssUrl_GoesThroughTheAgentsResolverAsHttps()
    {
        var origins = new List<HttpOrigin>();
        AgentHarness h = null!;
        h = new AgentHarness(request => Observable.Return(request.AcceptWebSocket(_ => { }, h.Scheduler)), new HttpAgentOptions
        {
            Resolve = origin =>
            {
                origins.Add(origin);
                return h.Network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=80");
            },
        });
        using var _ = h;

        var secure = new ClientRun(h.Agent.ConnectWebSocket(new Uri("wss://server/")), h.Scheduler);
        var plain = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server:8080/")), h.Scheduler);
        h.Run(10 * Ms);

        Assert.NotNull(secure.Socket);
        Assert.NotNull(plain.Socket);
        Assert.Equal(["https://server", "http://server:8080"], origins.Select(o => o.ToString()));
    }

    [Theory]
    [InlineData("ftp://server/")]
    [InlineData("ws://server/#fragment")]
    [InlineData("/relative")]
    public void ConnectWebSocket_NotAWebSocketUrl_ThrowsAtTheCall(string url)
    {
        using var h = Start(head => Accept(head));

        Assert.Throws<ArgumentException>(() => h.Agent.ConnectWebSocket(new Uri(url, UriKind.RelativeOrAbsolute)));
    }

    [Theory]
    [InlineData("Sec-WebSocket-Key")]
    [InlineData("upgrade")]
    [InlineData("Connection")]
    public void ConnectWebSocket_HeadersNamingAHandshakeField_ThrowsAtTheCall(string name)
    {
        using var h = Start(head => Accept(head));

        Assert.Throws<ArgumentException>(() => h.Agent.ConnectWebSocket(new Uri("ws://server/"), null, new WebSocketClientOptions { Headers = [new(name, "x")] }));
    }
}
