using System.Reactive.Linq;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>A server's <see cref="WebSocket"/> in virtual time: messages, control frames, keep-alive, the close
/// handshake and its timeout, limits and back-pressure, against a raw client on the simulated network.</summary>
public sealed class WebSocketSpecs
{
    private const long Ms = SimulatedWebSocket.Ms;
    private const long Second = 1000 * Ms;

    private static SimulatedWebSocket Echo(WebSocketOptions? options = null) =>
        new(socket => socket.Messages.Subscribe(socket.Send.OnNext), options);

    [Fact]
    public void Echo_TextAndBinaryMessages_ComeBackWithTheirType()
    {
        var ws = Echo();
        ws.Open();

        ws.Send(WireFrames.Concat(WireFrames.Text("hello"), WireFrames.Frame(2, [1, 2, 3])));
        ws.Run(10 * Ms);

        Assert.Equal(["Text:hello", "Binary:010203"], ws.Frames());
    }

    [Fact]
    public void Messages_FragmentedWithAPingBetween_AreOneMessageAndThePingIsAnswered()
    {
        var messages = new List<WebSocketMessage>();
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(messages.Add));
        ws.Open();

        ws.Send(WireFrames.Concat(WireFrames.Text("Hel", fin: false), WireFrames.Frame(9, "hb"u8), WireFrames.Frame(0, "lo"u8)));
        ws.Run(10 * Ms);

        Assert.Equal("Hello", Assert.Single(messages).GetText());
        Assert.Equal(["Pong:6862"], ws.Frames());
    }

    [Fact]
    public void Send_MessageLongerThanTheFrameSize_GoesOutFragmentedAtIt()
    {
        var ws = new SimulatedWebSocket(socket => socket.Send.OnNext(WebSocketMessage.Binary(new byte[250])),
            WebSocketOptions.Default with { SendFrameSize = 100 });

        ws.Open();

        Assert.Equal([$"Binary~:{new string('0', 200)}", $"Continuation~:{new string('0', 200)}", $"Continuation:{new string('0', 100)}"], ws.Frames());
    }

    [Fact]
    public void KeepAlive_NoPong_PingsAfterTheIntervalAndAbortsAtTheTimeoutsExactTick()
    {
        Exception? error = null;
        var options = WebSocketOptions.Default with { KeepAliveInterval = TimeSpan.FromSeconds(20), KeepAliveTimeout = TimeSpan.FromSeconds(5) };
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(_ => { }, e => error = e), options);
        ws.Open();

        ws.RunTo(ws.OpenedAt + 20 * Second - 1);
        Assert.Empty(ws.Frames());
        ws.RunTo(ws.OpenedAt + 20 * Second + 10 * Ms);
        Assert.Equal(["Ping:01000000"], ws.Frames());
        ws.RunTo(ws.OpenedAt + 25 * Second - 1);
        Assert.Null(ws.Closed);
        ws.RunTo(ws.OpenedAt + 25 * Second);

        Assert.Equal(new WebSocketClosed(WebSocketCloseCode.AbnormalClosure, "keep-alive ping timed out", WebSocketClosedBy.Local, false), ws.Closed);
        Assert.Equal(ws.OpenedAt + 25 * Second, ws.ClosedAt);
        Assert.IsType<TimeoutException>(error);
        ws.Run(10 * Ms);
        Assert.IsType<ConnectionResetException>(ws.ClientInputError);
    }

    [Fact]
    public void KeepAlive_PeerAnswersEveryPing_StaysOpen()
    {
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe());
        ws.Open();
        int answered = 0;

        for (int round = 0; round < 10; round++)
        {
            ws.Run(20 * Second + 10 * Ms);
            var pings = ws.Frames().Where(f => f.StartsWith("Ping:", StringComparison.Ordinal)).ToList();
            foreach (var ping in pings.Skip(answered))
                ws.Send(WireFrames.Frame(10, Convert.FromHexString(ping["Ping:".Length..])));
            answered = pings.Count;
        }
        ws.Run(10 * Ms);

        Assert.Null(ws.Closed);
        Assert.Equal(10, answered);
    }

    [Fact]
    public void KeepAlive_WhileNobodyReads_SendsNoPing()
    {
        var ws = new SimulatedWebSocket(_ => { });
        ws.Open();

        ws.Run(300 * Second);

        Assert.Empty(ws.Frames());
        Assert.Null(ws.Closed);
    }

    [Fact]
    public void CloseFromThePeer_IsAnsweredWithItsCodeThenTheServerClosesTheConnection()
    {
        bool completed = false;
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(_ => { }, () => completed = true));
        ws.Open();

        ws.Send(WireFrames.Close(1000, "bye"));
        ws.Run(10 * Ms);

        Assert.Equal(["Close:1000"], ws.Frames());
        Assert.Equal(new WebSocketClosed(WebSocketCloseCode.NormalClosure, "bye", WebSocketClosedBy.Peer, true), ws.Closed);
        Assert.True(completed);
        Assert.NotNull(ws.ClientInputEndedAt);
        Assert.Null(ws.ClientInputError);
    }

    [Fact]
    public void CloseFromThePeerWithNoCode_IsAnsweredWithNoCode()
    {
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe());
        ws.Open();

        ws.Send(WireFrames.Frame(8, []));
        ws.Run(10 * Ms);

        Assert.Equal(["Close:"], ws.Frames());
        Assert.Equal(WebSocketCloseCode.NoStatusReceived, ws.Closed?.Code);
    }

    [Fact]
    public void Close_PeerAnswers_ClosesCleanlyWithThisSidesCode()
    {
        var ws = new SimulatedWebSocket(socket => socket.Close(WebSocketCloseCode.GoingAway, "restarting"));
        ws.Open();
        Assert.Equal(["Close:1001 restarting"], ws.Frames());
        Assert.Null(ws.Closed);

        ws.Send(WireFrames.Close(1001));
        ws.Run(10 * Ms);

        Assert.Equal(new WebSocketClosed(WebSocketCloseCode.GoingAway, "restarting", WebSocketClosedBy.Local, true), ws.Closed);
        Assert.NotNull(ws.ClientInputEndedAt);
        Assert.Null(ws.ClientInputError);
    }

    [Fact]
    public void Close_MessagesBeforeThePeersClose_AreStillDeliveredButNothingMoreIsSent()
    {
        var messages = new List<string>();
        WebSocket? socket = null;
        var ws = new SimulatedWebSocket(s => (socket = s).Messages.Subscribe(m => messages.Add(m.GetText())));
        ws.Open();

        socket!.Close();
        socket.Send.OnNext(WebSocketMessage.Text("after close"));
        ws.Send(WireFrames.Concat(WireFrames.Text("in flight"), WireFrames.Close(1000)));
        ws.Run(10 * Ms);

        Assert.Equal(["in flight"], messages);
        Assert.Equal(["Close:1000"], ws.Frames());
    }

    [Fact]
    public void Close_PeerNeverAnswers_AbortsAtTheCloseTimeoutsExactTick()
    {
        long closedAt = 0;
        var ws = new SimulatedWebSocket(socket => socket.Close(), WebSocketOptions.Default with { CloseTimeout = TimeSpan.FromSeconds(3) });
        ws.Open();
        closedAt = ws.OpenedAt;

        ws.RunTo(closedAt + 3 * Second - 1);
        Assert.Null(ws.Closed);
        ws.RunTo(closedAt + 3 * Second);

        Assert.Equal(new WebSocketClosed(WebSocketCloseCode.NormalClosure, "", WebSocketClosedBy.Local, false), ws.Closed);
        ws.Run(10 * Ms);
        Assert.IsType<ConnectionResetException>(ws.ClientInputError);
    }

    [Fact]
    public void Close_WithACodeThatMustNotBeSent_Throws()
    {
        WebSocket? socket = null;
        var ws = new SimulatedWebSocket(s => socket = s);
        ws.Open();

        Assert.Throws<ArgumentOutOfRangeException>(() => socket!.Close(WebSocketCloseCode.AbnormalClosure));
        Assert.Throws<ArgumentException>(() => socket!.Close(WebSocketCloseCode.NormalClosure, new string('x', 124)));
    }

    [Fact]
    public void ProtocolViolation_ClosesWith1002AndFailsMessages()
    {
        Exception? error = null;
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(_ => { }, e => error = e));
        ws.Open();

        ws.Send(WireFrames.Text("unmasked", key: null));
        ws.Run(10 * Ms);

        Assert.Equal("Close:1002 A client frame is not masked.", Assert.Single(ws.Frames()));
        Assert.Equal(WebSocketCloseCode.ProtocolError, Assert.IsType<WebSocketProtocolException>(error).CloseCode);
        Assert.Equal(WebSocketCloseCode.ProtocolError, ws.Closed?.Code);
        Assert.False(ws.Closed?.WasClean);
        Assert.NotNull(ws.ClientInputEndedAt);
    }

    [Fact]
    public void InvalidUtf8_ClosesWith1007()
    {
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(_ => { }, _ => { }));
        ws.Open();

        ws.Send(WireFrames.Frame(1, [0x61, 0xC0, 0x80]));
        ws.Run(10 * Ms);

        Assert.StartsWith("Close:1007", Assert.Single(ws.Frames()), StringComparison.Ordinal);
    }

    [Fact]
    public void AnnouncedMessageAboveTheLimit_ClosesWith1009FromTheHeaderAlone()
    {
        int messages = 0;
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(_ => messages++, _ => { }));
        ws.Open();

        // Only the 14-byte header of a 1 GiB frame is sent: the answer cannot have waited for (or buffered) the payload.
        ws.Send(WireFrames.Frame(2, [], announced: 1UL << 30));
        ws.Run(10 * Ms);

        Assert.StartsWith("Close:1009", Assert.Single(ws.Frames()), StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseCode.MessageTooBig, ws.Closed?.Code);
        Assert.Equal(0, messages);
    }

    [Fact]
    public void MessageOfExactlyTheLimit_IsDelivered()
    {
        var sizes = new List<int>();
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(m => sizes.Add(m.Data.Length)), WebSocketOptions.Default with { MaxMessageSize = 1000 });
        ws.Open();

        ws.Send(WireFrames.Concat(WireFrames.Frame(2, new byte[600], fin: false), WireFrames.Frame(0, new byte[400])));
        ws.Run(10 * Ms);

        Assert.Equal([1000], sizes);
        Assert.Null(ws.Closed);
    }

    [Fact]
    public void ConnectionEndsWithoutAClose_ReportsAbnormalClosureByThePeer()
    {
        Exception? error = null;
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(_ => { }, e => error = e));
        ws.Open();

        ws.Client.Output.OnCompleted();
        ws.Run(10 * Ms);

        Assert.Equal(new WebSocketClosed(WebSocketCloseCode.AbnormalClosure, "", WebSocketClosedBy.Peer, false), ws.Closed);
        Assert.Equal(WebSocketCloseCode.AbnormalClosure, Assert.IsType<WebSocketProtocolException>(error).CloseCode);
    }

    [Fact]
    public void Messages_SecondSubscriber_GetsInvalidOperation()
    {
        Exception? error = null;
        var ws = new SimulatedWebSocket(socket =>
        {
            socket.Messages.Subscribe();
            socket.Messages.Subscribe(_ => { }, e => error = e);
        });

        ws.Open();

        Assert.IsType<InvalidOperationException>(error);
    }

    [Fact]
    public void BackPressure_HandlerThatDoesNotRead_HoldsThePeerAtTheWindow()
    {
        WebSocket? socket = null;
        var ws = new SimulatedWebSocket(s => socket = s);
        ws.Open();
        byte[] frame = WireFrames.Frame(2, new byte[16 * 1024]);

        for (int i = 0; i < 64; i++)
            ws.Send(frame);
        ws.Run(100 * Ms);

        // 1 MiB sent; the server took a receive window's worth and the rest waits in the client's own queue.
        long sent = 64L * frame.Length;
        Assert.InRange(ws.Client.Output.PendingBytes, sent - ws.Network.ReceiveWindow - frame.Length, sent - ws.Network.ReceiveWindow + frame.Length);

        int received = 0;
        socket!.Messages.Subscribe(_ => received++);
        ws.Run(100 * Ms);

        Assert.Equal(64, received);
        Assert.Equal(0, ws.Client.Output.PendingBytes);
    }

    [Fact]
    public void BackPressure_PeerThatDoesNotReadTheEcho_HoldsTheServerAtTheHighWaterMarkPlusOneMessage()
    {
        long mostPending = 0;
        int echoed = 0;
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(m =>
        {
            socket.Send.OnNext(m);
            echoed++;
            mostPending = Math.Max(mostPending, socket.Send.PendingBytes);
        }), clientReads: false);
        ws.Send(System.Text.Encoding.ASCII.GetBytes(SimulatedWebSocket.Request()));
        ws.Run(10 * Ms);
        byte[] frame = WireFrames.Frame(2, new byte[16 * 1024]);

        for (int i = 0; i < 256; i++)
            ws.Send(frame);
        ws.Run(1000 * Ms);

        // 4 MiB sent; the client's receive window, the server's output up to its high-water mark plus one message,
        // and the server's receive window hold a few hundred KiB: the rest stays with the client.
        Assert.InRange(mostPending, 64 * 1024, 64 * 1024 + frame.Length + 200);
        Assert.InRange(echoed, 4, 20);
        Assert.True(ws.Client.Output.PendingBytes > 3 * 1024 * 1024);
    }

    [Fact]
    public void BackPressure_PausedByWriteTo_ReadsOnlyWhileTheTargetIsWritable()
    {
        // Messages relayed with WriteTo to a socket whose peer does not read: the relay pauses, the first peer is held.
        var second = new SimulatedWebSocket(_ => { }, clientReads: false);
        second.Send(System.Text.Encoding.ASCII.GetBytes(SimulatedWebSocket.Request()));
        second.Run(10 * Ms);
        var ws = new SimulatedWebSocket(socket => socket.Messages.WriteTo(second.Socket!.Send));
        ws.Open();
        byte[] frame = WireFrames.Frame(2, new byte[16 * 1024]);

        for (int i = 0; i < 128; i++)
            ws.Send(frame);
        ws.Run(1000 * Ms);
        second.Run(1000 * Ms);
        ws.Run(1000 * Ms);

        Assert.True(second.Socket!.Send.PendingBytes <= 64 * 1024 + frame.Length + 200);
        Assert.True(ws.Client.Output.PendingBytes > 1024 * 1024);
    }
}
