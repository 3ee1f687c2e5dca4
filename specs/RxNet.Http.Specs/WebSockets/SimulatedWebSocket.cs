using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Http.WebSockets.Internal;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>
/// An <see cref="HttpServer"/> answering WebSocket handshakes on a simulated network, and a raw client on the other end
/// that sends bytes (frames built by <see cref="WireFrames"/>) and decodes the server's frames after the 101 head.
/// </summary>
internal sealed class SimulatedWebSocket
{
    public const long Ms = TimeSpan.TicksPerMillisecond;
    public const string SampleKey = "dGhlIHNhbXBsZSBub25jZQ=="; // RFC 6455 §1.3's example

    private readonly List<byte> _received = [];

    public SimulatedWebSocket(Action<WebSocket> onOpen, WebSocketOptions? options = null, bool clientReads = true)
    {
        Scheduler = new TestScheduler();
        Network = new SimulatedNetwork(Scheduler);
        Server = new HttpServer(request => Observable.Return(request.AcceptWebSocket(socket =>
        {
            Socket = socket;
            OpenedAt = Scheduler.Clock;
            socket.Closed.Subscribe(c =>
            {
                Closed = c;
                ClosedAt = Scheduler.Clock;
            });
            onOpen(socket);
        }, Scheduler, options)), Scheduler);
        Client = Network.ConnectTo(c =>
        {
            ServerSide = c;
            Server.Serve(c);
        });
        if (clientReads)
            ReadAll();
    }

    public TestScheduler Scheduler { get; }

    public SimulatedNetwork Network { get; }

    public HttpServer Server { get; }

    public IConnection Client { get; }

    public IConnection? ServerSide { get; private set; }

    public WebSocket? Socket { get; private set; }

    public long OpenedAt { get; private set; }

    public WebSocketClosed? Closed { get; private set; }

    public long ClosedAt { get; private set; }

    /// <summary>When the client's input ended (FIN or reset), or null.</summary>
    public long? ClientInputEndedAt { get; private set; }

    public Exception? ClientInputError { get; private set; }

    /// <summary>Everything the client received, as Latin-1 text (the 101 head, then frames).</summary>
    public string ReceivedText => Encoding.Latin1.GetString([.. _received]);

    public static string Request(string extraFields = "", string key = SampleKey, string version = "13") =>
        $"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n" +
        $"Sec-WebSocket-Version: {version}\r\n{extraFields}\r\n";

    /// <summary>Subscribes the client's input (done by the constructor unless told not to).</summary>
    public void ReadAll() =>
        Client.Input.Subscribe(
            chunk => _received.AddRange(chunk.ToArray()),
            e =>
            {
                ClientInputError = e;
                ClientInputEndedAt = Scheduler.Clock;
            },
            () => ClientInputEndedAt = Scheduler.Clock);

    /// <summary>Sends the usual handshake (plus <paramref name="bytesAfter"/> in the same write) and runs 10 ms; returns the head received.</summary>
    public string Open(byte[]? bytesAfter = null, string extraFields = "")
    {
        Send([.. Encoding.ASCII.GetBytes(Request(extraFields)), .. bytesAfter ?? []]);
        Run(10 * Ms);
        return Head();
    }

    public void Send(byte[] bytes) => Client.Output.OnNext(bytes);

    public void Run(long ticks) => Scheduler.AdvanceBy(ticks);

    /// <summary>Runs until the virtual clock reads <paramref name="ticks"/>.</summary>
    public void RunTo(long ticks) => Scheduler.AdvanceTo(ticks);

    /// <summary>The response head received (up to its blank line).</summary>
    public string Head()
    {
        string text = ReceivedText;
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? text : text[..(end + 4)];
    }

    /// <summary>The frames received after the 101 head, described by <see cref="WireFrames.Describe"/>, then an error if
    /// they do not decode as a server's frames (RSV1, permessage-deflate's bit, is accepted and shown as "*").</summary>
    public IReadOnlyList<string> Frames()
    {
        var run = DecodeFrames();
        var frames = run.Frames.Select(WireFrames.Describe).ToList();
        if (run.Error is { } error && error is not IncompleteFrameException)
            frames.Add("error " + error.Message);
        return frames;
    }

    /// <summary>The data messages received, inflated where RSV1 says so (one inflate context for the connection, as
    /// context takeover keeps it; <paramref name="contextTakeover"/> false starts one per message), as
    /// "Text:..." or "Binary:hex"; control frames as <see cref="WireFrames.Describe"/> does.</summary>
    public IReadOnlyList<string> Messages(bool contextTakeover = true)
    {
        using var context = new DeflateWire();
        var inflater = context;
        var messages = new List<string>();
        var parts = new List<byte>();
        (WebSocketOpcode Opcode, bool Compressed) first = default;
        foreach (var frame in DecodeFrames().Frames)
        {
            if (frame.IsControl)
            {
                messages.Add(WireFrames.Describe(frame));
                continue;
            }
            if (frame.Opcode != WebSocketOpcode.Continuation)
                first = (frame.Opcode, frame.Compressed);
            parts.AddRange(frame.Payload.ToArray());
            if (!frame.IsFinal)
                continue;
            byte[] data = [.. parts];
            parts.Clear();
            if (first.Compressed)
            {
                if (contextTakeover)
                {
                    data = inflater.Inflate(data);
                }
                else
                {
                    using var fresh = new DeflateWire();
                    data = fresh.Inflate(data);
                }
            }
            messages.Add(first.Opcode == WebSocketOpcode.Text ? "Text:" + Encoding.UTF8.GetString(data) : "Binary:" + Convert.ToHexString(data));
        }
        return messages;
    }

    private DecodedChunks<WebSocketFrame> DecodeFrames()
    {
        int start = Head().Length;
        byte[] bytes = [.. _received.Skip(start)];
        return Chunking.Decode([bytes], input => input.Decode(() => new WebSocketFrameDecoder(WebSocketRole.Client, 1 << 26, perMessageDeflate: true)));
    }
}
