using System.Reactive.Subjects;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>Streamed messages (<see cref="WebSocketOptions.StreamThreshold"/>) in virtual time: whole below the threshold,
/// a body above it delivered as the bytes come, paused with its subscriber (and the socket with it), limits past
/// <c>MaxMessageSize</c>, and inflated in steps with permessage-deflate.</summary>
public sealed class WebSocketStreamSpecs
{
    private const long Ms = SimulatedWebSocket.Ms;
    private const string Offer = "Sec-WebSocket-Extensions: permessage-deflate\r\n";

    private static readonly WebSocketOptions Streaming = WebSocketOptions.Default with { StreamThreshold = 1000, KeepAliveInterval = TimeSpan.Zero };

    private static byte[] Pattern(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 31 % 251))];

    /// <summary>A socket whose messages are recorded, and whose streamed bodies are read with <paramref name="demand"/>.</summary>
    private sealed class Reader
    {
        public List<WebSocketMessage> Messages { get; } = [];

        public List<byte[]> Chunks { get; } = [];

        public bool BodyCompleted { get; private set; }

        public Exception? BodyError { get; private set; }

        public IDisposable? Body { get; private set; }

        public SimulatedWebSocket Open(WebSocketOptions options, IObservable<bool>? demand = null, string extraFields = "")
        {
            var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(m =>
            {
                Messages.Add(m);
                if (m.Body is { } body)
                {
                    var observer = System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(c => Chunks.Add(c.ToArray()), e => BodyError = e, () => BodyCompleted = true);
                    Body = demand is null ? body.Subscribe(observer) : body.Subscribe(observer, demand);
                }
            }, _ => { }), options);
            ws.Open(extraFields: extraFields);
            return ws;
        }

        public byte[] Received => [.. Chunks.SelectMany(c => c)];
    }

    [Fact]
    public void Messages_AtOrBelowTheThreshold_AreWholeAndAboveItStreamed()
    {
        var reader = new Reader();
        var ws = reader.Open(Streaming);
        byte[] big = Pattern(5000);

        ws.Send(WireFrames.Concat(WireFrames.Frame(2, Pattern(1000)), WireFrames.Frame(2, big), WireFrames.Text("after")));
        ws.Run(10 * Ms);

        Assert.Equal(["Binary (1000 bytes)", "Binary (streamed)", "Text \"after\""], reader.Messages.Select(m => m.ToString()));
        Assert.Null(reader.Messages[0].Body);
        Assert.True(reader.Messages[1].Data.IsEmpty);
        Assert.Equal(big, reader.Received);
        Assert.True(reader.BodyCompleted);
    }

    [Fact]
    public void StreamedMessage_IsDeliveredBeforeItsEndAndItsBytesAsTheyCome()
    {
        var reader = new Reader();
        var ws = reader.Open(Streaming);
        byte[] payload = Pattern(100_000);
        byte[] frame = WireFrames.Frame(2, payload);

        ws.Send(frame[..30_000]);
        ws.Run(10 * Ms);

        Assert.Single(reader.Messages);
        Assert.InRange(reader.Received.Length, 1001, 30_000);
        Assert.Equal(payload[..reader.Received.Length], reader.Received);
        Assert.False(reader.BodyCompleted);

        ws.Send(frame[30_000..]);
        ws.Run(10 * Ms);

        Assert.Equal(payload, reader.Received);
        Assert.True(reader.BodyCompleted);
    }

    [Fact]
    public void StreamedMessage_FragmentedWithTextSplitAnywhere_GivesTheTextBytes()
    {
        var reader = new Reader();
        var ws = reader.Open(Streaming);
        string text = string.Concat(Enumerable.Repeat("héllo wörld ", 300));
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(text);

        ws.Send(WireFrames.Concat(WireFrames.Frame(1, utf8.AsSpan(0, 701), fin: false), WireFrames.Frame(9, "p"u8),
            WireFrames.Frame(0, utf8.AsSpan(701, 900), fin: false), WireFrames.Frame(0, utf8.AsSpan(1601))));
        ws.Run(10 * Ms);

        Assert.Equal("Text (streamed)", Assert.Single(reader.Messages).ToString());
        Assert.Equal(text, System.Text.Encoding.UTF8.GetString(reader.Received));
        Assert.Equal(["Pong:70"], ws.Frames());
    }

    [Fact]
    public void PausedBody_StopsTheSocketsReadingUntilItResumes()
    {
        var demand = new BehaviorSubject<bool>(false);
        var reader = new Reader();
        var ws = reader.Open(Streaming, demand);
        byte[] payload = Pattern(50_000);

        ws.Send(WireFrames.Concat(WireFrames.Frame(2, payload), WireFrames.Frame(9, "p"u8)));
        ws.Run(100 * Ms);

        Assert.Single(reader.Messages);
        Assert.Empty(reader.Chunks);           // nothing handed over while paused
        Assert.Empty(ws.Frames());             // and nothing more read: the ping after the message waits

        demand.OnNext(true);
        ws.Run(10 * Ms);

        Assert.Equal(payload, reader.Received);
        Assert.True(reader.BodyCompleted);
        Assert.Equal(["Pong:70"], ws.Frames());
    }

    [Fact]
    public void StreamedMessage_LongerThanMaxMessageSize_IsAllowedUpToTheStreamedLimit()
    {
        var options = Streaming with { MaxMessageSize = 64 * 1024, StreamThreshold = 16 * 1024, MaxStreamedMessageSize = 1024 * 1024 };
        var reader = new Reader();
        var ws = reader.Open(options);
        byte[] payload = Pattern(1024 * 1024);

        ws.Send(WireFrames.Frame(2, payload));
        ws.Run(1000 * Ms);
        Assert.Equal(payload, reader.Received);

        ws.Send(WireFrames.Frame(2, [], announced: 1024 * 1024 + 1));
        ws.Run(10 * Ms);
        Assert.StartsWith("Close:1009", Assert.Single(ws.Frames()), StringComparison.Ordinal);
        Assert.Single(reader.Messages);
    }

    [Fact]
    public void CompressedStreamedMessage_IsInflatedInStepsOnlyWhileTheBodyWantsThem()
    {
        var demand = new BehaviorSubject<bool>(true);
        var chunks = new List<byte[]>();
        bool completed = false;
        var options = Streaming with { Compression = WebSocketDeflateOptions.Default, StreamThreshold = 64 * 1024, MaxStreamedMessageSize = 8 * 1024 * 1024 };
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(m => m.Body!.Subscribe(System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(c =>
        {
            chunks.Add(c.ToArray());
            if (chunks.Count == 3)
                demand.OnNext(false); // paused from inside OnNext: no further step may be inflated
        }, _ => { }, () => completed = true), demand)), options);
        ws.Open(extraFields: Offer);
        byte[] payload = Pattern(4 * 1024 * 1024);

        ws.Send(WireFrames.Frame(2, DeflateWire.Once(payload), rsv: 4));
        ws.Run(100 * Ms);

        Assert.Equal(3, chunks.Count);
        Assert.False(completed);

        demand.OnNext(true);
        ws.Run(100 * Ms);

        Assert.True(completed);
        Assert.Equal(payload, chunks.SelectMany(c => c).ToArray());
        Assert.All(chunks.Skip(1), c => Assert.True(c.Length <= 16 * 1024));
    }

    [Fact]
    public void CompressedStreamedMessage_PastTheStreamedLimit_Closes1009()
    {
        var reader = new Reader();
        var options = Streaming with { Compression = WebSocketDeflateOptions.Default, StreamThreshold = 64 * 1024, MaxStreamedMessageSize = 1024 * 1024 };
        var ws = reader.Open(options, extraFields: Offer);

        ws.Send(WireFrames.Frame(2, DeflateWire.Once(new byte[8 * 1024 * 1024]), rsv: 4));
        ws.Run(100 * Ms);

        Assert.StartsWith("Close:1009", Assert.Single(ws.Frames()), StringComparison.Ordinal);
        Assert.IsType<WebSocketProtocolException>(reader.BodyError);
        Assert.True(reader.Received.Length <= 1024 * 1024);
    }

    [Fact]
    public void BodyLeftBeforeItsEnd_TheRestIsDroppedAndTheNextMessageComes()
    {
        var reader = new Reader();
        var ws = reader.Open(Streaming);
        byte[] frame = WireFrames.Frame(2, Pattern(50_000));

        ws.Send(frame[..5000]);
        ws.Run(10 * Ms);
        reader.Body!.Dispose();
        ws.Send(WireFrames.Concat(frame[5000..], WireFrames.Text("next")));
        ws.Run(10 * Ms);

        Assert.Equal(["Binary (streamed)", "Text \"next\""], reader.Messages.Select(m => m.ToString()));
        Assert.InRange(reader.Received.Length, 1001, 5000);
        Assert.False(reader.BodyCompleted);
    }

    [Fact]
    public void SocketEndingMidMessage_FailsTheBody()
    {
        var reader = new Reader();
        var ws = reader.Open(Streaming);
        byte[] frame = WireFrames.Frame(2, Pattern(50_000));

        ws.Send(frame[..5000]);
        ws.Run(10 * Ms);
        ws.Client.Dispose();
        ws.Run(10 * Ms);

        Assert.NotNull(reader.BodyError);
        Assert.False(reader.BodyCompleted);
    }

    [Fact]
    public void StreamedBody_SecondSubscription_FailsAndAStreamedMessageCannotBeSentBack()
    {
        var errors = new List<Exception>();
        Exception? sendError = null;
        var ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(m =>
        {
            m.Body!.Subscribe(_ => { });
            m.Body!.Subscribe(_ => { }, errors.Add);
            sendError = Record.Exception(() => socket.Send.OnNext(m));
        }), Streaming);
        ws.Open();

        ws.Send(WireFrames.Frame(2, Pattern(2000)));
        ws.Run(10 * Ms);

        Assert.IsType<InvalidOperationException>(Assert.Single(errors));
        Assert.IsType<ArgumentException>(sendError);
    }
}
