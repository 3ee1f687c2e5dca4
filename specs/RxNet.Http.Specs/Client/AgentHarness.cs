using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.Client;

/// <summary>This repo's <see cref="HttpServer"/> on the simulated host <c>server</c> (port 80) and an
/// <see cref="HttpAgent"/> on the host <c>client</c>, in virtual time; counts the connections the server accepted.</summary>
internal sealed class AgentHarness : IDisposable
{
    public const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly IDisposable _listening;

    /// <summary>This repo's server, answering with <paramref name="handler"/>.</summary>
    public AgentHarness(Func<HttpRequest, IObservable<HttpResponse>> handler, HttpAgentOptions? options = null, HttpServerOptions? serverOptions = null)
    {
        Scheduler = new TestScheduler();
        Network = new SimulatedNetwork(Scheduler);
        Server = new HttpServer(handler, Scheduler, serverOptions);
        _listening = Server.Listen(Listener());
        Agent = new HttpAgent(Network.Host("client").Reactor, options);
    }

    /// <summary>A raw server: <paramref name="onHead"/> gets each request head (as text, up to its empty line) with
    /// the server's end of its connection, and writes exact bytes back.</summary>
    public AgentHarness(Action<IConnection, string> onHead, HttpAgentOptions? options = null)
    {
        Scheduler = new TestScheduler();
        Network = new SimulatedNetwork(Scheduler);
        _listening = Listener().Subscribe(connection =>
        {
            var text = new StringBuilder();
            connection.Input.Subscribe(chunk =>
            {
                text.Append(Encoding.Latin1.GetString(chunk.Span));
                RawReceived.Append(Encoding.Latin1.GetString(chunk.Span));
                while (text.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal) is int end and >= 0)
                {
                    string head = text.ToString(0, end + 4);
                    text.Remove(0, end + 4);
                    onHead(connection, head);
                }
            }, _ => { }, () => { });
        });
        Agent = new HttpAgent(Network.Host("client").Reactor, options);
    }

    /// <summary>Everything a raw server received, across connections.</summary>
    public StringBuilder RawReceived { get; } = new();

    public TestScheduler Scheduler { get; }

    public SimulatedNetwork Network { get; }

    public HttpServer? Server { get; }

    public HttpAgent Agent { get; }

    /// <summary>The server's ends of the connections it accepted, in order.</summary>
    public List<IConnection> ServerConnections { get; } = [];

    public int ServerConnectionsClosed { get; private set; }

    /// <summary>Sends and records the response and its body (read as it comes), as <see cref="Exchange"/>.</summary>
    public Exchange Send(HttpRequest request, bool readBody = true)
    {
        var exchange = new Exchange(Scheduler);
        exchange.Subscription = Agent.Send(request).Subscribe(
            response =>
            {
                exchange.Response = response;
                exchange.RespondedAt = Scheduler.Clock;
                if (readBody)
                    exchange.ReadBody();
            },
            error =>
            {
                exchange.Error = error;
                exchange.FailedAt = Scheduler.Clock;
            });
        return exchange;
    }

    public Exchange Get(string path, bool readBody = true) => Send(new HttpRequest("GET", "http://server" + path), readBody);

    public void Run(long ticks = 1000 * Ms) => Scheduler.AdvanceBy(ticks);

    public static void Write(IConnection connection, string text) => connection.Output.OnNext(Encoding.Latin1.GetBytes(text));

    private IObservable<IConnection> Listener() => Network.Host("server").Reactor.ServerEndpoint("tcp:80").Listen()
        .Do(connection =>
        {
            ServerConnections.Add(connection);
            connection.Closed.Subscribe(_ => ServerConnectionsClosed++);
        });

    public void Dispose()
    {
        Agent.Dispose();
        _listening.Dispose();
    }

    /// <summary>One exchange as the caller saw it.</summary>
    internal sealed class Exchange(TestScheduler scheduler)
    {
        private readonly StringBuilder _body = new();

        public IDisposable? Subscription { get; set; }

        public IDisposable? BodySubscription { get; private set; }

        public HttpResponse? Response { get; set; }

        public long? RespondedAt { get; set; }

        public Exception? Error { get; set; }

        public long? FailedAt { get; set; }

        public string Body => _body.ToString();

        public int Chunks { get; private set; }

        public bool BodyCompleted { get; private set; }

        public long? BodyEndedAt { get; private set; }

        public Exception? BodyError { get; private set; }

        public void ReadBody(IObservable<bool>? demand = null)
        {
            var observer = System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(
                chunk =>
                {
                    Chunks++;
                    _body.Append(Encoding.Latin1.GetString(chunk.Span));
                },
                error =>
                {
                    BodyError = error;
                    BodyEndedAt = scheduler.Clock;
                },
                () =>
                {
                    BodyCompleted = true;
                    BodyEndedAt = scheduler.Clock;
                });
            BodySubscription = demand is null
                ? Response!.Body!.Subscribe(observer)
                : ((IPausableObservable<ReadOnlyMemory<byte>>)Response!.Body!).Subscribe(observer, demand);
        }
    }
}
