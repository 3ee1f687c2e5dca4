using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.Server;

/// <summary>An <see cref="HttpServer"/> on one end of a simulated connection and a raw client on the other, which
/// sends bytes and keeps everything it receives as text.</summary>
internal sealed class SimulatedHttp
{
    public const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly StringBuilder _received = new();

    /// <param name="serve">Wraps the server's end of the connection before the server gets it (to watch it).</param>
    public SimulatedHttp(Func<HttpRequest, IObservable<HttpResponse>> handler, HttpServerOptions? options = null, bool clientReads = true,
        Func<IConnection, IConnection>? serve = null)
    {
        Scheduler = new TestScheduler();
        Network = new SimulatedNetwork(Scheduler);
        Server = new HttpServer(handler, Scheduler, options);
        Client = Network.ConnectTo(c =>
        {
            ServerSide = c;
            AcceptedAt = Scheduler.Clock;
            Server.Serve(serve is null ? c : serve(c));
        });
        if (!clientReads)
            return;
        Client.Input.Subscribe(
            chunk =>
            {
                _received.Append(Encoding.Latin1.GetString(chunk.Span));
                LastReceivedAt = Scheduler.Clock;
            },
            _ => InputFailed = true,
            () =>
            {
                InputEnded = true;
                InputEndedAt = Scheduler.Clock;
            });
        Client.Closed.Subscribe(c => Closed = c);
    }

    public TestScheduler Scheduler { get; }

    public SimulatedNetwork Network { get; }

    public HttpServer Server { get; }

    public IConnection Client { get; }

    public IConnection? ServerSide { get; private set; }

    public string Received => _received.ToString();

    public bool InputEnded { get; private set; }

    /// <summary>When the server accepted the connection (the client's end is returned at that instant).</summary>
    public long AcceptedAt { get; private set; }

    /// <summary>When the client last received bytes.</summary>
    public long LastReceivedAt { get; private set; }

    /// <summary>When the client's input ended.</summary>
    public long InputEndedAt { get; private set; }

    public bool InputFailed { get; private set; }

    public ConnectionClosed? Closed { get; private set; }

    public void Send(string text) => Client.Output.OnNext(Encoding.Latin1.GetBytes(text));

    public string Run(long ticks = 1000 * Ms)
    {
        Scheduler.AdvanceBy(ticks);
        return Received;
    }

    /// <summary>The body of a chunked message that starts at <paramref name="at"/> (just after its head).</summary>
    public static string Dechunk(string text, int at)
    {
        var body = new StringBuilder();
        while (true)
        {
            int lineEnd = text.IndexOf("\r\n", at, StringComparison.Ordinal);
            int size = Convert.ToInt32(text[at..lineEnd], 16);
            if (size == 0)
                return body.ToString();
            body.Append(text, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    /// <summary>The status lines received, in order.</summary>
    public IReadOnlyList<string> StatusLines() =>
        [.. System.Text.RegularExpressions.Regex.Matches(Received, @"HTTP/1\.[01] \d{3}[^\r\n]*").Select(m => m.Value)];
}
