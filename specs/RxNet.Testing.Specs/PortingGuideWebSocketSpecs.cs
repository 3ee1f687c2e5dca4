using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet;
using RxNet.Http;
using RxNet.Http.Web;
using Xunit;

namespace RxNet.Testing.Specs;

/// <summary>
/// The porting guide's twisted.web.websocket section, run: its blocks appear here verbatim, served over the simulated
/// network in virtual time to a raw client that writes masked frames by hand and reads the server's.
/// </summary>
public sealed class PortingGuideWebSocketSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const string Handshake = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;

    public PortingGuideWebSocketSpecs() => _network = new SimulatedNetwork(_scheduler);

    // ---- The guide's protocol ------------------------------------------------------------------------------------

    sealed class EchoSocket : WebSocketProtocol
    {
        public override void TextMessageReceived(string message) => Transport.SendTextMessage(message);

        public override void BytesMessageReceived(ReadOnlyMemory<byte> data) => Transport.SendBytesMessage(data);
    }

    // ---- The blocks, run -----------------------------------------------------------------------------------------

    [Fact]
    public void WebSocket_TreeWithBothForms_EachPathEchoesTextAsTextAndBytesAsBytes()
    {
        var reactor = _network.Host("server").Reactor;

        var root = new Resource();
        root.PutChild("ws", WebSocketResource.ForProtocol(request => new EchoSocket(), reactor.Scheduler));
        root.PutChild("echo", new WebSocketResource(socket => socket.Messages.WriteTo(socket.Send), reactor.Scheduler));
        var site = new Site(root, reactor.Scheduler);

        var server = new HttpServer(site.Handle, reactor.Scheduler);
        using var listening = server.Listen(reactor.ServerEndpoint("tcp:8080").Listen());
        var ws = Client("/ws", [.. Frame(0x81, "hi"u8), .. Frame(0x82, [1, 2])]);
        var echo = Client("/echo", [.. Frame(0x81, "hi"u8), .. Frame(0x82, [1, 2])]);
        _scheduler.AdvanceTo(100 * Ms);

        byte[] expected = [0x81, 2, (byte)'h', (byte)'i', 0x82, 2, 1, 2]; // unmasked, from a server
        Assert.Equal(expected, AfterHead(ws));
        Assert.Equal(expected, AfterHead(echo));
    }

    [Fact]
    public void WebSocket_PingRoundTrip_ThePongCarryingItsPayloadIsFound()
    {
        var reactor = _network.Host("server").Reactor;
        WebSocket? socket = null;
        var root = new Resource();
        root.PutChild("ws", new WebSocketResource(opened => (socket = opened).Messages.Subscribe(), reactor.Scheduler));
        using var listening = new HttpServer(new Site(root, reactor.Scheduler).Handle, reactor.Scheduler).Listen(reactor.ServerEndpoint("tcp:8080").Listen());
        var client = Client("/ws", []);
        _scheduler.AdvanceTo(100 * Ms);
        var pongs = new List<long>();
        socket!.Pongs.Subscribe(_ => pongs.Add(_scheduler.Clock));
        client.Received.Clear();

        var sent = reactor.Scheduler.Now;
        socket.Pongs.Where(pong => pong.Span.SequenceEqual("rtt-1"u8)).Take(1)
            .Subscribe(_ => Console.WriteLine($"round trip: {reactor.Scheduler.Now - sent}"));
        socket.Ping("rtt-1"u8.ToArray());

        _scheduler.AdvanceTo(200 * Ms);
        Assert.Equal([0x89, 5, .. "rtt-1"u8.ToArray()], client.Received);       // the ping, as the client reads it
        client.Connection.Output.OnNext(Frame(0x8A, "rtt-1"u8));               // its answer
        _scheduler.AdvanceTo(300 * Ms);

        Assert.Single(pongs);
        Assert.True(pongs[0] > 200 * Ms);
    }

    // ---- Helpers ---------------------------------------------------------------------------------------------------

    /// <summary>A client on its own host that sends the handshake for <paramref name="path"/> and then
    /// <paramref name="frames"/>, keeping all it reads.</summary>
    private RawClient Client(string path, byte[] frames)
    {
        var client = new RawClient();
        _network.Host("client" + path.Replace('/', '-')).Reactor.ClientEndpoint("tcp:host=server:port=8080").Connect().Subscribe(connection =>
        {
            client.Connection = connection;
            connection.Input.Subscribe(chunk => client.Received.AddRange(chunk.ToArray()));
            connection.Output.OnNext(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: server\r\n{Handshake}"));
            if (frames.Length > 0)
                connection.Output.OnNext(frames);
        });
        return client;
    }

    /// <summary>A final frame from a client, masked with the key 0 (so the payload reads as it is).</summary>
    private static byte[] Frame(byte first, ReadOnlySpan<byte> payload) => [first, (byte)(0x80 | payload.Length), 0, 0, 0, 0, .. payload];

    private static byte[] AfterHead(RawClient client)
    {
        string text = Encoding.Latin1.GetString([.. client.Received]);
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", text, StringComparison.Ordinal);
        return [.. client.Received.Skip(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)];
    }

    private sealed class RawClient
    {
        public IConnection Connection { get; set; } = null!;

        public List<byte> Received { get; } = [];
    }
}
