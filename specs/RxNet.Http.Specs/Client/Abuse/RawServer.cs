using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.Client.Abuse;

/// <summary>
/// A server that writes whatever bytes a spec wants, on the simulated host <c>server</c> (port 80), with an
/// <see cref="HttpAgent"/> on the host <c>client</c>, in virtual time. Each connection it accepts is answered by the
/// spec's script once a whole request head has arrived; it counts what it wrote and when its connections closed.
/// </summary>
internal sealed class RawServer : IDisposable
{
    public const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly IDisposable _listening;
    private readonly CompositeDisposable _scripts = [];

    /// <param name="script">Answers one connection, once its first request head has arrived.</param>
    /// <param name="options">The agent's options.</param>
    public RawServer(Action<RawServer, IConnection> script, HttpAgentOptions? options = null)
    {
        Scheduler = new TestScheduler();
        Network = new SimulatedNetwork(Scheduler) { RecordsTrace = false };
        _listening = Network.Host("server").Reactor.ServerEndpoint("tcp:80").Listen().Subscribe(connection =>
        {
            Connections++;
            connection.Closed.Subscribe(_ => ClosedConnections++);
            var head = new StringBuilder();
            bool answered = false;
            _scripts.Add(connection.Input.Subscribe(chunk =>
            {
                head.Append(Encoding.Latin1.GetString(chunk.Span));
                if (!answered && head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    answered = true;
                    script(this, connection);
                }
            }, _ => { }, connection.Close)); // the client finished: so does the server, as a real one would
        });
        Agent = new HttpAgent(Network.Host("client").Reactor, options);
    }

    public TestScheduler Scheduler { get; }

    public SimulatedNetwork Network { get; }

    public HttpAgent Agent { get; }

    /// <summary>Connections accepted.</summary>
    public int Connections { get; private set; }

    /// <summary>Connections whose both directions have finished (the server closes its side when the client's ends).</summary>
    public int ClosedConnections { get; private set; }

    /// <summary>Every byte the scripts wrote.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Writes <paramref name="text"/> (Latin-1) now.</summary>
    public void Write(IConnection connection, string text) => Write(connection, Encoding.Latin1.GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> now.</summary>
    public void Write(IConnection connection, ReadOnlyMemory<byte> bytes)
    {
        BytesWritten += bytes.Length;
        connection.Output.OnNext(bytes);
    }

    /// <summary>Writes <paramref name="next"/>'s bytes every <paramref name="period"/> ticks until it returns
    /// nothing or the connection closes: a server that never stops, paced by the clock, not by the reader.</summary>
    public void Every(IConnection connection, long period, Func<ReadOnlyMemory<byte>?> next)
    {
        var timer = Observable.Interval(TimeSpan.FromTicks(period), Scheduler)
            .TakeUntil(connection.Closed)
            .Subscribe(_ =>
            {
                if (next() is { } bytes)
                    Write(connection, bytes);
            });
        _scripts.Add(timer);
    }

    /// <summary>
    /// Writes <paramref name="length"/> bytes of <see cref="Server.PatternedBody"/> in slices, one per scheduler step,
    /// only while the connection's output is writable: a server that honours back-pressure, so whatever it has
    /// produced and the reader has not yet received is in the network or in the client.
    /// </summary>
    public void Stream(IConnection connection, long length, int slice)
    {
        long produced = 0;
        bool writable = false;
        var step = new SerialDisposable();
        void Produce()
        {
            if (!writable || produced == length)
                return;
            int size = (int)Math.Min(slice, length - produced);
            Write(connection, Server.PatternedBody.Slice(produced, size));
            produced += size;
            if (produced < length)
                step.Disposable = Scheduler.Schedule(Produce);
        }
        _scripts.Add(step);
        _scripts.Add(connection.Output.Writable.DistinctUntilChanged().TakeUntil(connection.Closed).Subscribe(can =>
        {
            writable = can;
            if (can)
                step.Disposable = Scheduler.Schedule(Produce);
        }));
    }

    /// <summary>Sends a GET for <paramref name="path"/> and records what the caller sees, reading the body as it comes.</summary>
    public Exchange Get(string path = "/") => Send(new HttpRequest("GET", "http://server" + path));

    /// <summary>Sends <paramref name="request"/> and records what the caller sees.</summary>
    public Exchange Send(HttpRequest request, bool readBody = true)
    {
        var exchange = new Exchange();
        Agent.Send(request).Subscribe(
            response =>
            {
                exchange.Response = response;
                if (readBody)
                    exchange.Read(response.Body!);
            },
            error => exchange.Error = error);
        return exchange;
    }

    public void Run(long ticks) => Scheduler.AdvanceBy(ticks);

    /// <summary>The agent's pool, as numbers: every one is 0 once nothing is open, waiting or being made.</summary>
    public string Pool => Agent.Counters.ToString();

    public void Dispose()
    {
        _scripts.Dispose();
        Agent.Dispose();
        _listening.Dispose();
    }

    /// <summary>One exchange as the caller saw it: the response, its body's bytes (counted, the first 64 KiB kept), how it ended.</summary>
    internal sealed class Exchange
    {
        private readonly StringBuilder _start = new();
        private IDisposable? _reading;

        public HttpResponse? Response { get; set; }

        public Exception? Error { get; set; }

        public long BodyBytes { get; private set; }

        public string BodyStart => _start.ToString();

        public bool BodyCompleted { get; private set; }

        public Exception? BodyError { get; private set; }

        /// <summary>What went wrong, in the response or in its body.</summary>
        public Exception? Failure => Error ?? BodyError;

        public void Read(IObservable<ReadOnlyMemory<byte>> body, IObservable<bool>? demand = null, Action<ReadOnlyMemory<byte>>? each = null)
        {
            var observer = System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(
                chunk =>
                {
                    BodyBytes += chunk.Length;
                    if (_start.Length < 64 * 1024)
                        _start.Append(Encoding.Latin1.GetString(chunk.Span));
                    each?.Invoke(chunk);
                },
                error => BodyError = error,
                () => BodyCompleted = true);
            _reading = demand is null ? body.Subscribe(observer) : ((IPausableObservable<ReadOnlyMemory<byte>>)body).Subscribe(observer, demand);
        }

        public void StopReading() => _reading?.Dispose();
    }
}
