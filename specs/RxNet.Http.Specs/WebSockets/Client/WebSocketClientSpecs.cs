using System.Reactive.Linq;
using RxNet.Http.Specs.Client;
using static RxNet.Http.Specs.WebSockets.Client.RawWebSocketServer;

namespace RxNet.Http.Specs.WebSockets.Client;

/// <summary>The client end (<c>ConnectWebSocket</c>) on a simulated network, in virtual time (1 ms links): messages both
/// ways, masking on the wire, the close handshake from either side and who closes TCP, keep-alive.</summary>
public sealed class WebSocketClientSpecs
{
    private const long Ms = AgentHarness.Ms;
    private const long Second = TimeSpan.TicksPerSecond;

    [Fact]
    public void ConnectWebSocket_ToTheServer_OpensAClientSocketThatExchangesMessages()
    {
        using var h = EchoServer();

        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/echo")), h.Scheduler);
        h.Run(10 * Ms);
        run.Read();
        run.SendText("hello");
        run.Socket!.Send.OnNext(WebSocketMessage.Binary(new byte[] { 0, 1, 0xFF }));
        run.Socket.Send.OnNext(WebSocketMessage.Binary(Array.Empty<byte>()));
        h.Run(10 * Ms);

        Assert.True(run.Completed, run.ToString());
        Assert.Equal(["hello", "bin:0001FF", "bin:"], run.Messages);
        Assert.Null(run.Socket.Subprotocol);
    }

    [Fact]
    public void ConnectWebSocket_ThroughAnEndpointWithoutAnAgent_ExchangesMessages()
    {
        using var h = EchoServer();
        var endpoint = h.Network.Host("other").Reactor.ClientEndpoint("tcp:host=server:port=80");

        var run = new ClientRun(endpoint.ConnectWebSocket(new Uri("ws://server/echo"), h.Scheduler), h.Scheduler);
        h.Run(10 * Ms);
        run.Read();
        run.SendText("no agent");
        h.Run(10 * Ms);

        Assert.Equal(["no agent"], run.Messages);
    }

    [Fact]
    public void Send_AsAClient_MasksEveryFrameOnTheWire()
    {
        using var h = Start(head => Accept(head));
        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/"), WebSocketOptions.Default with { SendFrameSize = 4 }), h.Scheduler);
        h.Run(10 * Ms);

        run.SendText("Hello");
        run.Socket!.Close(WebSocketCloseCode.NormalClosure, "bye");
        h.Run(10 * Ms);

        // Decoded as a server decodes (an unmasked frame would be an error 1002).
        Assert.Equal("Text~:Hell; Continuation:6F; Close:1000 bye", Frames(h));
        string wire = h.RawReceived.ToString()[Head(h).Length..];
        Assert.All(new[] { wire[1], wire[1 + 1 + 4 + 4 + 1] }, b => Assert.True((b & 0x80) != 0, "mask bit"));
    }

    [Fact]
    public void Messages_FromTheServer_UnmaskedAndFragmented_AreDeliveredWhole()
    {
        using var h = Start(head => Accept(head) + System.Text.Encoding.Latin1.GetString(WireFrames.Concat(
            WireFrames.Text("frag", fin: false, key: null), WireFrames.Frame(9, "p"u8, key: null), WireFrames.Frame(0, "ment"u8, key: null))));

        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/")), h.Scheduler);
        h.Run(10 * Ms);
        run.Read();
        h.Run(10 * Ms);

        Assert.Equal(["fragment"], run.Messages);
        Assert.Equal("Pong:70", Frames(h)); // the ping between the fragments answered, masked
    }

    [Fact]
    public void Messages_AMaskedFrameFromTheServer_Fails1002()
    {
        using var h = Start(head => Accept(head) + System.Text.Encoding.Latin1.GetString(WireFrames.Text("masked")));

        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/")), h.Scheduler);
        h.Run(10 * Ms);
        run.Read();
        h.Run(10 * Ms);

        Assert.Equal(WebSocketCloseCode.ProtocolError, Assert.IsType<WebSocketProtocolException>(run.MessagesError).CloseCode);
        Assert.StartsWith("Close:1002", Frames(h), StringComparison.Ordinal);
    }

    [Fact]
    public void Close_FromTheClient_TheServerAnswersAndClosesTcpFirst()
    {
        using var h = EchoServer();
        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/")), h.Scheduler);
        h.Run(10 * Ms);
        run.Read();
        var serverClosed = new List<ConnectionClosed>();
        h.ServerConnections[0].Closed.Subscribe(serverClosed.Add);
        long start = h.Scheduler.Clock;

        run.Socket!.Close(WebSocketCloseCode.NormalClosure, "done");
        h.Run(10 * Ms);

        Assert.Equal(new WebSocketClosed(WebSocketCloseCode.NormalClosure, "done", WebSocketClosedBy.Local, true), run.Closed);
        Assert.Equal(start + 2 * Ms, run.ClosedAt); // one link latency each way
        Assert.True(run.MessagesCompleted);
        Assert.Equal(ConnectionCloseReason.LocalClose, Assert.Single(serverClosed).Reason);
        Assert.Equal([start + 2 * Ms], Fins(h, "server")); // the server closed TCP first, on the close frame (sent at +1 ms)
        Assert.Equal([start + 3 * Ms], Fins(h, "client")); // the client on the server's FIN (sent at +2 ms)
    }

    [Fact]
    public void Close_ServerAnswersButKeepsTcpOpen_TheClientClosesTcpAtTheCloseTimeout()
    {
        using var h = Start(head => Accept(head));
        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/"), WebSocketOptions.Default with { CloseTimeout = TimeSpan.FromSeconds(4) }), h.Scheduler);
        h.Run(10 * Ms);
        run.Read();

        run.Socket!.Close(WebSocketCloseCode.GoingAway);
        h.Run(1 * Ms);
        AgentHarness.Write(h.ServerConnections[0], System.Text.Encoding.Latin1.GetString(WireFrames.Close(1001, key: null)));
        long answered = h.Scheduler.Clock + 1 * Ms;
        h.Scheduler.AdvanceTo(answered + 4 * Second - 1);

        Assert.Equal(new WebSocketClosed(WebSocketCloseCode.GoingAway, "", WebSocketClosedBy.Local, true), run.Closed);
        Assert.Equal(answered, run.ClosedAt);
        Assert.Empty(Fins(h, "client")); // the client waits for the server's FIN

        h.Run(10 * Ms);
        Assert.Equal([answered + 4 * Second + 1 * Ms], Fins(h, "client")); // then closes TCP itself (sent at the timeout)
    }

    [Fact]
    public void Close_FromTheServer_IsAnsweredAndTheClientWaitsForTheServersFin()
    {
        WebSocket? serverSocket = null;
        AgentHarness h = null!;
        h = new AgentHarness(request => Observable.Return(request.AcceptWebSocket(s =>
        {
            serverSocket = s;
            s.Messages.Subscribe(_ => { }, _ => { });
        }, h.Scheduler)));
        using var _ = h;
        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/")), h.Scheduler);
        h.Run(10 * Ms);
        run.Read();
        var serverClosed = new List<ConnectionClosed>();
        h.ServerConnections[0].Closed.Subscribe(serverClosed.Add);
        long start = h.Scheduler.Clock;

        serverSocket!.Send.OnNext(WebSocketMessage.Text("last words"));
        serverSocket.Close(WebSocketCloseCode.GoingAway, "restarting");
        h.Run(10 * Ms);

        Assert.Equal(["last words"], run.Messages);
        Assert.Equal(new WebSocketClosed(WebSocketCloseCode.GoingAway, "restarting", WebSocketClosedBy.Peer, true), run.Closed);
        Assert.Equal(start + 1 * Ms, run.ClosedAt);
        Assert.True(run.MessagesCompleted);
        Assert.Equal(ConnectionCloseReason.LocalClose, Assert.Single(serverClosed).Reason);
    }

    [Fact]
    public void KeepAlive_AsAClient_PingsMaskedAndAbortsWhenNoPongComes()
    {
        using var h = Start(head => Accept(head));
        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/"), WebSocketOptions.Default with
        {
            KeepAliveInterval = TimeSpan.FromSeconds(20),
            KeepAliveTimeout = TimeSpan.FromSeconds(5),
        }), h.Scheduler);
        h.Run(10 * Ms);
        run.Read();
        long opened = h.Scheduler.Clock;
        var serverClosed = new List<ConnectionClosed>();
        h.ServerConnections[0].Closed.Subscribe(serverClosed.Add);

        h.Scheduler.AdvanceTo(opened + 20 * Second + 10 * Ms);
        Assert.Equal("Ping:01000000", Frames(h));
        h.Scheduler.AdvanceTo(opened + 25 * Second - 1);
        Assert.Null(run.Closed);
        h.Scheduler.AdvanceTo(opened + 25 * Second + 10 * Ms);

        Assert.Equal(new WebSocketClosed(WebSocketCloseCode.AbnormalClosure, "keep-alive ping timed out", WebSocketClosedBy.Local, false), run.Closed);
        Assert.Equal(opened + 25 * Second, run.ClosedAt);
        Assert.IsType<TimeoutException>(run.MessagesError);
        Assert.Equal(ConnectionCloseReason.Reset, Assert.Single(serverClosed).Reason);
    }

    [Fact]
    public void KeepAlive_AgainstTheServer_StaysOpenForMinutes()
    {
        using var h = EchoServer();
        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/")), h.Scheduler);
        h.Run(10 * Ms);
        run.Read();

        h.Run(300 * Second);
        run.SendText("still here");
        h.Run(10 * Ms);

        Assert.Null(run.Closed);
        Assert.Equal(["still here"], run.Messages);
    }

    /// <summary>When each FIN from <paramref name="host"/> arrived (one link latency, 1 ms, after it was sent).</summary>
    private static List<long> Fins(AgentHarness h, string host) =>
        [.. h.Network.Trace.Where(e => e.Kind == NetworkEventKind.Fin && e.From.StartsWith(host + ":", StringComparison.Ordinal)).Select(e => e.Ticks)];

    private static AgentHarness EchoServer()
    {
        AgentHarness h = null!;
        h = new AgentHarness(request => Observable.Return(request.AcceptWebSocket(s => s.Messages.Subscribe(s.Send.OnNext, _ => { }), h.Scheduler)));
        return h;
    }
}
