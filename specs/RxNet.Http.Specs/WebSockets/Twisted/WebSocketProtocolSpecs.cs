using RxNet.Http.Web;

namespace RxNet.Http.Specs.WebSockets.Twisted;

/// <summary>The Twisted layer over a socket (<see cref="WebSocketProtocol"/>, <see cref="WebSocketTransport"/>), served by
/// a <see cref="WebSocketResource"/> on the simulated network in virtual time: every callback, in order, at its tick.</summary>
public sealed class WebSocketProtocolSpecs
{
    private const long Ms = SimulatedWebSocket.Ms;

    private static SimulatedWebSocket Serve(Func<WebSocketProtocol> build)
    {
        SimulatedWebSocket? ws = null;
        ws = new SimulatedWebSocket(scheduler =>
        {
            var root = new Resource();
            root.PutChild("chat", WebSocketResource.ForProtocol(_ => build(), scheduler));
            return new Site(root, scheduler).Handle;
        });
        return ws;
    }

    [Fact]
    public void Callbacks_AConversation_ComeInOrderOnTheSocketsEvents()
    {
        SimulatedWebSocket? ws = null;
        var protocol = new Recorder(() => ws!.Scheduler.Clock);
        ws = Serve(() => protocol);

        ws.Open();
        ws.Send(WireFrames.Concat(WireFrames.Text("hi"), WireFrames.Frame(2, [7]), WireFrames.Frame(10, "p"u8), WireFrames.Close(1000, "bye")));
        ws.Run(10 * Ms);

        long opened = 2 * Ms, read = 12 * Ms; // the handshake and the frames (sent at 10 ms, in one write) each take the link's 2 ms
        Assert.Equal(
        [
            $"{opened} started", $"{opened} finished", $"{read} text hi", $"{read} bytes 07", $"{read} pong 70", $"{read} lost 1000 bye Peer clean",
        ], protocol.Events);
    }

    [Fact]
    public void Transport_SendsTextBytesAndPing_AsThoseFrames()
    {
        var ws = Serve(() => new Sender(t =>
        {
            t.SendTextMessage("é");
            t.SendBytesMessage(new byte[] { 1, 2 });
            t.Ping("p"u8.ToArray());
            t.Ping();
        }));

        ws.Open();

        Assert.Equal(["Text:é", "Binary:0102", "Ping:70", "Ping:"], ws.Frames());
    }

    [Fact]
    public void LoseConnection_WithACode_SendsItAndReportsACleanLocalCloseWhenThePeerAnswers()
    {
        var protocol = new Recorder(() => 0, onText: (t, _) => t.LoseConnection(WebSocketCloseCode.GoingAway, "later"));
        var ws = Serve(() => protocol);
        ws.Open();

        ws.Send(WireFrames.Text("go"));
        ws.Run(10 * Ms);
        Assert.Equal(["Close:1001 later"], ws.Frames());
        ws.Send(WireFrames.Close(1001));
        ws.Run(10 * Ms);

        Assert.Equal("0 lost 1001 later Local clean", protocol.Events[^1]);
    }

    [Fact]
    public void Callback_Throws_AbortsTheSocketAndConnectionLostSaysSo()
    {
        var protocol = new Recorder(() => 0, onText: (_, _) => throw new InvalidOperationException("bug"));
        var ws = Serve(() => protocol);
        ws.Open();

        ws.Send(WireFrames.Concat(WireFrames.Text("boom"), WireFrames.Text("never")));
        ws.Run(10 * Ms);

        Assert.Equal(["0 started", "0 finished", "0 text boom", "0 lost 1006  Local unclean"], protocol.Events);
        Assert.IsType<ConnectionResetException>(ws.ClientInputError);
    }

    /// <summary>Records every callback as "tick event".</summary>
    private sealed class Recorder(Func<long> now, Action<WebSocketTransport, string>? onText = null) : WebSocketProtocol
    {
        public List<string> Events { get; } = [];

        public override void NegotiationStarted(WebSocketTransport transport) => Add("started");

        public override void NegotiationFinished() => Add("finished");

        public override void TextMessageReceived(string message)
        {
            Add("text " + message);
            onText?.Invoke(Transport, message);
        }

        public override void BytesMessageReceived(ReadOnlyMemory<byte> data) => Add("bytes " + Convert.ToHexString(data.Span));

        public override void PongReceived(ReadOnlyMemory<byte> payload) => Add("pong " + Convert.ToHexString(payload.Span));

        public override void ConnectionLost(WebSocketClosed reason) =>
            Add($"lost {(int)reason.Code} {reason.Reason} {reason.ClosedBy} {(reason.WasClean ? "clean" : "unclean")}");

        private void Add(string what) => Events.Add($"{now()} {what}");
    }

    private sealed class Sender(Action<WebSocketTransport> send) : WebSocketProtocol
    {
        public override void NegotiationFinished() => send(Transport);
    }
}
