using System.Net;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.WebSockets.Drain;

/// <summary>
/// An <see cref="HttpServer"/> accepting WebSockets behind a <see cref="ServerService"/> (or a bare listener, for a
/// connection limit) on a simulated network, and raw clients that open sockets and decode the server's frames.
/// </summary>
internal sealed class DrainedWebSocketServer
{
    public const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly SimulatedNetwork _network;
    private readonly IServerEndpoint _endpoint;
    private int _clients;

    public DrainedWebSocketServer(WebSocketOptions? options = null)
    {
        Scheduler = new TestScheduler();
        _network = new SimulatedNetwork(Scheduler);
        Server = new HttpServer(request => Observable.Return(request.AcceptWebSocket(socket =>
        {
            Sockets.Add(socket);
            socket.Closed.Subscribe(closed => Closed.Add((closed, Scheduler.Clock)));
            socket.Messages.Subscribe(_ => { }, _ => { });
        }, Scheduler, options)), Scheduler);
        _endpoint = _network.Host("server").Reactor.ServerEndpoint("tcp:80");
    }

    public TestScheduler Scheduler { get; }

    public HttpServer Server { get; }

    public List<WebSocket> Sockets { get; } = [];

    public List<(WebSocketClosed Closed, long At)> Closed { get; } = [];

    /// <summary>Starts a service serving <see cref="Server"/> on the endpoint.</summary>
    public ServerService StartService()
    {
        var service = new ServerService(_endpoint, Server.Serve, Scheduler);
        service.Start();
        Scheduler.AdvanceBy(Ms);
        return service;
    }

    /// <summary>Serves the endpoint's connections through <paramref name="limit"/>, without a service.</summary>
    public IDisposable Listen(Func<IObservable<IConnection>, IObservable<IConnection>> limit)
    {
        var listening = Server.Listen(limit(_endpoint.Listen()));
        Scheduler.AdvanceBy(Ms);
        return listening;
    }

    /// <summary>Connects a client from its own host, sends the handshake and runs 10 ms.</summary>
    public Client Open()
    {
        var client = new Client();
        _network.Host($"client{++_clients}").Reactor.ClientEndpoint("tcp:server:80").Connect().Subscribe(client.Connected, client.Failed);
        Scheduler.AdvanceBy(10 * Ms);
        return client;
    }

    public void Run(long ticks) => Scheduler.AdvanceBy(ticks);

    internal sealed class Client
    {
        private readonly List<byte> _received = [];

        public IConnection? Connection { get; private set; }

        public Exception? Error { get; private set; }

        public bool InputEnded { get; private set; }

        public EndPoint? LocalEndPoint => Connection?.LocalEndPoint;

        public string Head
        {
            get
            {
                string text = Encoding.Latin1.GetString([.. _received]);
                int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                return end < 0 ? text : text[..(end + 4)];
            }
        }

        public void Connected(IConnection connection)
        {
            Connection = connection;
            connection.Input.Subscribe(chunk => _received.AddRange(chunk.ToArray()), e =>
            {
                Error = e;
                InputEnded = true;
            }, () => InputEnded = true);
            connection.Output.OnNext(Encoding.ASCII.GetBytes(SimulatedWebSocket.Request()));
        }

        public void Failed(Exception error) => Error = error;

        public void Send(byte[] frame) => Connection!.Output.OnNext(frame);

        /// <summary>The frames received after the head, as <see cref="WireFrames.Describe"/> puts them.</summary>
        public IReadOnlyList<string> Frames()
        {
            byte[] bytes = [.. _received.Skip(Head.Length)];
            var run = Chunking.Decode([bytes], input => input.Decode(new WebSocketFrameCodec(WebSocketRole.Client, 1 << 20)));
            return [.. run.Frames.Select(WireFrames.Describe)];
        }
    }
}
