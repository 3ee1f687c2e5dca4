using System.Reactive.Linq;

namespace RxNet.Http.Specs.WebSockets;

/// <summary><see cref="WebSocket.Ping"/> and <see cref="WebSocket.Pongs"/> in virtual time: the ping on the wire, every
/// pong seen, and how a pong to a user's ping relates to the keep-alive's.</summary>
public sealed class WebSocketPingSpecs
{
    private const long Ms = SimulatedWebSocket.Ms;
    private const long Second = 1000 * Ms;

    private static readonly WebSocketOptions KeepAlive =
        WebSocketOptions.Default with { KeepAliveInterval = TimeSpan.FromSeconds(20), KeepAliveTimeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public void Ping_WithAPayload_SendsAPingFrameCarryingIt()
    {
        var ws = new SimulatedWebSocket(socket =>
        {
            socket.Messages.Subscribe();
            socket.Ping("abc"u8.ToArray());
        });

        ws.Open();

        Assert.Equal(["Ping:616263"], ws.Frames());
    }

    [Fact]
    public void Ping_EmptyAnd125Bytes_AreSentAnd126BytesThrows()
    {
        ArgumentException? error = null;
        var ws = new SimulatedWebSocket(socket =>
        {
            socket.Ping(ReadOnlyMemory<byte>.Empty);
            socket.Ping(new byte[125]);
            error = Assert.Throws<ArgumentException>(() => socket.Ping(new byte[126]));
        });

        ws.Open();

        Assert.Equal(["Ping:", $"Ping:{new string('0', 250)}"], ws.Frames());
        Assert.Equal("payload", error!.ParamName);
    }

    [Fact]
    public void Ping_AfterClose_SendsNothing()
    {
        var ws = new SimulatedWebSocket(socket =>
        {
            socket.Close();
            socket.Ping("late"u8.ToArray());
        });

        ws.Open();

        Assert.Equal(["Close:1000"], ws.Frames());
    }

    [Fact]
    public void Pongs_AnswersAndUnsolicitedPongs_AreEachSeenWithTheirPayload()
    {
        var pongs = new List<string>();
        var ws = new SimulatedWebSocket(socket =>
        {
            socket.Pongs.Subscribe(p => pongs.Add(Convert.ToHexString(p.Span)));
            socket.Messages.Subscribe();
            socket.Ping("abc"u8.ToArray());
        });
        ws.Open();

        ws.Send(WireFrames.Concat(WireFrames.Frame(10, "abc"u8), WireFrames.Frame(10, "beat"u8), WireFrames.Frame(10, [])));
        ws.Run(10 * Ms);

        Assert.Equal(["616263", "62656174", ""], pongs);
    }

    [Fact]
    public void Pongs_InOrderWithMessages_ArriveBetweenThem()
    {
        var seen = new List<string>();
        var ws = new SimulatedWebSocket(socket =>
        {
            socket.Pongs.Subscribe(p => seen.Add("pong " + Convert.ToHexString(p.Span)));
            socket.Messages.Subscribe(m => seen.Add("message " + m.GetText()));
        });
        ws.Open();

        ws.Send(WireFrames.Concat(WireFrames.Text("a"), WireFrames.Frame(10, [1]), WireFrames.Text("b")));
        ws.Run(10 * Ms);

        Assert.Equal(["message a", "pong 01", "message b"], seen);
    }

    [Fact]
    public void Pongs_WhenTheSocketEnds_Completes()
    {
        bool completed = false;
        var ws = new SimulatedWebSocket(socket =>
        {
            socket.Pongs.Subscribe(_ => { }, () => completed = true);
            socket.Messages.Subscribe();
        });
        ws.Open();
        Assert.False(completed);

        ws.Send(WireFrames.Close(1000));
        ws.Run(10 * Ms);

        Assert.True(completed);
    }

    [Fact]
    public void Pongs_KeepAlivesAnswer_IsSeenToo()
    {
        var pongs = new List<string>();
        var ws = new SimulatedWebSocket(socket =>
        {
            socket.Pongs.Subscribe(p => pongs.Add(Convert.ToHexString(p.Span)));
            socket.Messages.Subscribe();
        }, KeepAlive);
        ws.Open();
        ws.RunTo(ws.OpenedAt + 20 * Second + 10 * Ms);

        ws.Send(WireFrames.Frame(10, [1, 0, 0, 0]));
        ws.Run(10 * Ms);

        Assert.Equal(["01000000"], pongs);
    }

    [Fact]
    public void KeepAlive_PeerAnswersOnlyAUserPingSentAfterIt_CountsAsAnsweredAndStaysOpen()
    {
        WebSocket? socket = null;
        var ws = new SimulatedWebSocket(s =>
        {
            socket = s;
            s.Messages.Subscribe();
        }, KeepAlive);
        ws.Open();
        ws.RunTo(ws.OpenedAt + 20 * Second + 10 * Ms); // the keep-alive ping is out
        socket!.Ping("mine"u8.ToArray());

        ws.Send(WireFrames.Frame(10, "mine"u8)); // RFC 6455 §5.5.3: a peer may answer only the most recent ping
        ws.RunTo(ws.OpenedAt + 30 * Second);

        Assert.Equal(["Ping:01000000", "Ping:6D696E65"], ws.Frames());
        Assert.Null(ws.Closed);
    }

    [Fact]
    public void KeepAlive_PongToAUserPingSentBeforeIt_DoesNotAnswerItAndItTimesOut()
    {
        WebSocket? socket = null;
        var ws = new SimulatedWebSocket(s =>
        {
            socket = s;
            s.Messages.Subscribe(_ => { }, _ => { });
        }, KeepAlive);
        ws.Open();
        socket!.Ping("mine"u8.ToArray());
        ws.RunTo(ws.OpenedAt + 20 * Second + 10 * Ms); // the keep-alive ping is out after the user's

        ws.Send(WireFrames.Frame(10, "mine"u8));
        ws.RunTo(ws.OpenedAt + 25 * Second);

        Assert.Equal(new WebSocketClosed(WebSocketCloseCode.AbnormalClosure, "keep-alive ping timed out", WebSocketClosedBy.Local, false), ws.Closed);
        Assert.Equal(ws.OpenedAt + 25 * Second, ws.ClosedAt);
    }

    [Fact]
    public void KeepAlive_UnsolicitedPong_DoesNotAnswerIt()
    {
        var ws = new SimulatedWebSocket(s => s.Messages.Subscribe(_ => { }, _ => { }), KeepAlive);
        ws.Open();
        ws.RunTo(ws.OpenedAt + 20 * Second + 10 * Ms);

        ws.Send(WireFrames.Frame(10, "beat"u8));
        ws.RunTo(ws.OpenedAt + 25 * Second);

        Assert.Equal(WebSocketCloseCode.AbnormalClosure, ws.Closed?.Code);
    }
}
