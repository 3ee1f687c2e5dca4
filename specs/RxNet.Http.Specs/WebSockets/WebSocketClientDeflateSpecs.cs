using System.Reactive.Linq;
using System.Text;
using RxNet.Http.Specs.Client;
using RxNet.Http.Specs.WebSockets.Client;
using static RxNet.Http.Specs.WebSockets.Client.RawWebSocketServer;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>permessage-deflate on the client end, in virtual time: the offer, the check of the server's answer (RFC 7692
/// §7.1), compressed frames on the wire, and a whole conversation with the RxNet server.</summary>
public sealed class WebSocketClientDeflateSpecs
{
    private const long Ms = AgentHarness.Ms;

    private static readonly WebSocketOptions Deflate = WebSocketOptions.Default with { Compression = WebSocketDeflateOptions.Default };

    private static (AgentHarness Harness, ClientRun Run) Connect(string answer, WebSocketOptions? options = null)
    {
        var h = Start(head => Accept(head, answer.Length == 0 ? "" : $"Sec-WebSocket-Extensions: {answer}\r\n"));
        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/chat"), options ?? Deflate), h.Scheduler);
        h.Run(10 * Ms);
        return (h, run);
    }

    private static string ClientFrames(AgentHarness h) =>
        WireFrames.Run([Encoding.Latin1.GetBytes(h.RawReceived.ToString()[Head(h).Length..])], perMessageDeflate: true);

    [Fact]
    public void ConnectWebSocket_WithCompression_OffersItAndSendsCompressedFramesWhenAccepted()
    {
        var (h, run) = Connect("permessage-deflate");
        using var _ = h;

        run.SendText("Hello");
        h.Run(10 * Ms);

        Assert.Contains("\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n", Head(h), StringComparison.Ordinal);
        Assert.Equal("permessage-deflate", run.Socket?.Extensions);
        Assert.Equal("Text*:F248CDC9C90700", ClientFrames(h)); // RFC 7692 §7.2.3.1, masked on the wire
    }

    [Fact]
    public void ConnectWebSocket_ServerDeclines_SendsPlainFrames()
    {
        var (h, run) = Connect("");
        using var _ = h;

        run.SendText("Hello");
        h.Run(10 * Ms);

        Assert.Equal("", run.Socket?.Extensions);
        Assert.Equal("Text:Hello", ClientFrames(h));
    }

    [Fact]
    public void ConnectWebSocket_ServerLimitsTheClientsWindow_LongerMessagesGoPlain()
    {
        var (h, run) = Connect("permessage-deflate; client_max_window_bits=9");
        using var _ = h;

        run.Socket!.Send.OnNext(WebSocketMessage.Binary(new byte[512]));
        run.Socket!.Send.OnNext(WebSocketMessage.Binary(new byte[513]));
        h.Run(10 * Ms);

        string[] frames = ClientFrames(h).Split("; ");
        Assert.StartsWith("Binary*:", frames[0], StringComparison.Ordinal);
        Assert.Equal("Binary:" + new string('0', 1026), frames[1]);
    }

    public static TheoryData<string, WebSocketDeflateOptions> BadAnswers => new()
    {
        { "permessage-deflate; unknown", WebSocketDeflateOptions.Default },
        { "permessage-deflate; client_max_window_bits", WebSocketDeflateOptions.Default },
        { "permessage-deflate; server_max_window_bits=16", WebSocketDeflateOptions.Default },
        { "permessage-deflate; server_max_window_bits=7", WebSocketDeflateOptions.Default },
        { "permessage-deflate; server_max_window_bits", WebSocketDeflateOptions.Default },
        { "permessage-deflate; server_no_context_takeover; server_no_context_takeover", WebSocketDeflateOptions.Default },
        { "permessage-deflate; client_no_context_takeover=yes", WebSocketDeflateOptions.Default },
        { "permessage-deflate, permessage-deflate", WebSocketDeflateOptions.Default },
        { "x-webkit-deflate-frame", WebSocketDeflateOptions.Default },
        { "permessage-deflate; server_max_window_bits=12", new WebSocketDeflateOptions { ServerMaxWindowBits = 10 } },
        { "permessage-deflate; client_max_window_bits=12", new WebSocketDeflateOptions { ClientMaxWindowBits = 10 } },
        { "permessage-deflate", new WebSocketDeflateOptions { ServerNoContextTakeover = true } },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public void ConnectWebSocket_AnswerThatBreaksRfc7692_FailsTheConnection(string answer, WebSocketDeflateOptions offer)
    {
        var (h, run) = Connect(answer, WebSocketOptions.Default with { Compression = offer });
        using var _ = h;

        Assert.Null(run.Socket);
        var error = Assert.IsType<HttpProtocolException>(run.Error);
        Assert.Equal(HttpProtocolError.WebSocketNegotiationInvalid, error.Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ClientAndServer_BothWithCompression_ExchangeMessagesWithAndWithoutContextTakeover(bool noContextTakeover)
    {
        var compression = new WebSocketDeflateOptions { ServerNoContextTakeover = noContextTakeover, ClientNoContextTakeover = noContextTakeover };
        WebSocket? server = null;
        AgentHarness h = null!;
        h = new AgentHarness(request => Observable.Return(request.AcceptWebSocket(socket =>
        {
            server = socket;
            socket.Messages.Subscribe(socket.Send.OnNext);
        }, h.Scheduler, WebSocketOptions.Default with { Compression = compression })));
        using var _ = h;
        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/"), Deflate), h.Scheduler);
        h.Run(10 * Ms);
        run.Read();

        string text = string.Concat(Enumerable.Repeat("compressible ", 1000));
        for (int i = 0; i < 3; i++)
            run.SendText(text + i);
        run.Socket!.Send.OnNext(WebSocketMessage.Binary(new byte[3]));
        h.Run(100 * Ms);

        string expected = noContextTakeover ? "permessage-deflate; server_no_context_takeover; client_no_context_takeover" : "permessage-deflate";
        Assert.Equal(expected, server?.Extensions);
        Assert.Equal(expected, run.Socket.Extensions);
        Assert.Equal([.. Enumerable.Range(0, 3).Select(i => text + i), "bin:000000"], run.Messages);
    }
}
