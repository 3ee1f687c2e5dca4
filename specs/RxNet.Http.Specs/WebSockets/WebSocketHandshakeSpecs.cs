using System.Text;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>The server's opening handshake (RFC 6455 §4.2) through <see cref="HttpServer"/>'s upgrade hand-over.</summary>
public sealed class WebSocketHandshakeSpecs
{
    [Fact]
    public void AcceptWebSocket_TheRfcsSampleHandshake_Answers101WithItsAcceptValue()
    {
        var ws = new SimulatedWebSocket(_ => { });

        string head = ws.Open();

        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Upgrade: websocket\r\n", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Sec-WebSocket-Protocol", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Sec-WebSocket-Extensions", head, StringComparison.Ordinal);
        Assert.NotNull(ws.Socket);
    }

    [Theory]
    [InlineData("8")]
    [InlineData("14")]
    public void AcceptWebSocket_AnotherVersion_Answers426NamingVersion13(string version)
    {
        var ws = new SimulatedWebSocket(_ => { });

        ws.Send(Encoding.ASCII.GetBytes(SimulatedWebSocket.Request(version: version)));
        ws.Run(10 * SimulatedWebSocket.Ms);

        Assert.StartsWith("HTTP/1.1 426", ws.ReceivedText, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Version: 13\r\n", ws.ReceivedText, StringComparison.Ordinal);
        Assert.Null(ws.Socket);
    }

    [Theory]
    [InlineData("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n")]
    [InlineData("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n")]
    [InlineData("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")]
    [InlineData("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")]
    [InlineData("GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")]
    [InlineData("POST /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("GET /chat HTTP/1.0\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")]
    public void AcceptWebSocket_NotAValidHandshake_Answers400AndOpensNothing(string request)
    {
        var ws = new SimulatedWebSocket(_ => { });

        ws.Send(Encoding.ASCII.GetBytes(request));
        ws.Run(10 * SimulatedWebSocket.Ms);

        Assert.StartsWith("HTTP/1.1 400", ws.ReceivedText, StringComparison.Ordinal);
        Assert.Null(ws.Socket);
    }

    [Fact]
    public void AcceptWebSocket_ConnectionFieldListingUpgradeAmongOthers_IsAccepted()
    {
        var ws = new SimulatedWebSocket(_ => { });

        ws.Send(Encoding.ASCII.GetBytes(SimulatedWebSocket.Request().Replace("Connection: Upgrade", "Connection: keep-alive, Upgrade", StringComparison.Ordinal)));
        ws.Run(10 * SimulatedWebSocket.Ms);

        Assert.StartsWith("HTTP/1.1 101", ws.ReceivedText, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptWebSocket_SubprotocolsOffered_SelectsTheServersFirstChoiceTheClientOffers()
    {
        var options = WebSocketOptions.Default with { Subprotocols = ["v2.chat", "chat"] };
        var ws = new SimulatedWebSocket(_ => { }, options);

        ws.Send(Encoding.ASCII.GetBytes(SimulatedWebSocket.Request("Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Protocol: v2.chat\r\n")));
        ws.Run(10 * SimulatedWebSocket.Ms);

        Assert.Contains("Sec-WebSocket-Protocol: v2.chat\r\n", ws.Head(), StringComparison.Ordinal);
        Assert.Equal("v2.chat", ws.Socket?.Subprotocol);
    }

    [Fact]
    public void AcceptWebSocket_NoSubprotocolInCommon_SelectsNone()
    {
        var ws = new SimulatedWebSocket(_ => { }, WebSocketOptions.Default with { Subprotocols = ["chat"] });

        ws.Send(Encoding.ASCII.GetBytes(SimulatedWebSocket.Request("Sec-WebSocket-Protocol: superchat\r\n")));
        ws.Run(10 * SimulatedWebSocket.Ms);

        Assert.StartsWith("HTTP/1.1 101", ws.Head(), StringComparison.Ordinal);
        Assert.DoesNotContain("Sec-WebSocket-Protocol", ws.Head(), StringComparison.Ordinal);
        Assert.Null(ws.Socket?.Subprotocol);
    }

    [Fact]
    public void AcceptWebSocket_OriginCheckRefuses_Answers403()
    {
        string? seen = "unset";
        var options = WebSocketOptions.Default with { CheckOrigin = origin => (seen = origin) == "https://good.example" };
        var ws = new SimulatedWebSocket(_ => { }, options);

        ws.Send(Encoding.ASCII.GetBytes(SimulatedWebSocket.Request("Origin: https://evil.example\r\n")));
        ws.Run(10 * SimulatedWebSocket.Ms);

        Assert.StartsWith("HTTP/1.1 403", ws.ReceivedText, StringComparison.Ordinal);
        Assert.Equal("https://evil.example", seen);
        Assert.Null(ws.Socket);
    }

    [Fact]
    public void AcceptWebSocket_FramesInTheSameWriteAsTheHandshake_AreTheFirstMessage()
    {
        var messages = new List<string>();
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(m => messages.Add(m.GetText())));

        ws.Open(WireFrames.Concat(WireFrames.Text("early"), WireFrames.Text("bird")));

        Assert.Equal(["early", "bird"], messages);
    }
}
