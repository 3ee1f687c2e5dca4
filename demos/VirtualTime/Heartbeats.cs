using System.Globalization;
using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxNet;
using RxNet.Testing;

/// <summary>
/// A heartbeat line protocol over an unreliable hour: every timer (heartbeat, idle drop, connect
/// timeout, back-off) is an Rx timer on the reactor's scheduler, so virtual time drives them all.
/// </summary>
static class Heartbeats
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="duration"/> of virtual time and returns how much was simulated.</summary>
    public static TimeSpan Run(Timeline timeline, int seed, TimeSpan duration)
    {
        var network = timeline.Network;
        var scheduler = network.Scheduler;
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(15), BytesPerSecond = 1_000_000, MaxSegmentSize = 16 });

        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:7000").Listen()
            .Subscribe(connection => Serve(connection, timeline, scheduler));
        var client = new HeartbeatClient(network.Host("client").Reactor, "tcp:host=server:port=7000:timeout=10", timeline, new Random(seed));
        client.Connect();

        scheduler.ScheduleAbsolute(TimeSpan.FromMinutes(10).Ticks, () =>
        {
            network.Partition("client", "server");
            timeline.Note("network: client and server partitioned");
        });
        scheduler.ScheduleAbsolute(TimeSpan.FromMinutes(20).Ticks, () =>
        {
            network.Heal("client", "server");
            timeline.Note("network: partition healed");
        });
        scheduler.AdvanceTo(duration.Ticks);
        timeline.Note(client.Summary());
        return new TimeSpan(scheduler.Clock);
    }

    /// <summary>The server: echoes every heartbeat line, and says goodbye to a client silent for a minute
    /// (Twisted's <c>TimeoutMixin</c>).</summary>
    private static void Serve(IConnection connection, Timeline timeline, IScheduler scheduler)
    {
        string peer = Name(connection.RemoteEndPoint);
        timeline.Note($"server: accepted {peer}");
        connection.Closed.Subscribe(closed => timeline.Note($"server: {peer} closed ({closed.Reason})"));
        connection.Input.Timeout(IdleLimit, scheduler).Subscribe(
            connection.Output.OnNext,
            error =>
            {
                if (error is not TimeoutException)
                {
                    timeline.Note($"server: {peer} failed: {error.GetType().Name}");
                    return;
                }
                timeline.Note($"server: {peer} idle for {IdleLimit.TotalSeconds} s, dropping it");
                connection.Output.OnNext("idle, bye\n"u8.ToArray());
                connection.Output.OnCompleted();
            },
            connection.Output.OnCompleted);
    }

    public static string Name(EndPoint? endPoint) =>
        endPoint is DnsEndPoint dns ? string.Create(CultureInfo.InvariantCulture, $"{dns.Host}:{dns.Port}") : $"{endPoint}";
}

/// <summary>
/// The client: a heartbeat line every 30 s, gives up on a connection that echoes nothing for a minute,
/// and reconnects with exponential back-off (1 s doubling to 60 s, ±10 % seeded jitter, reset after
/// each successful connect), as Twisted's <c>ReconnectingClientFactory</c> does with other constants.
/// </summary>
sealed class HeartbeatClient(IReactor reactor, string endpoint, Timeline timeline, Random random)
{
    private const double InitialDelay = 1, Factor = 2, MaxDelay = 60, Jitter = 0.1;

    private int _failures;
    private int _connections;
    private int _sent;
    private int _echoed;

    public void Connect()
    {
        timeline.Note("client: connecting");
        reactor.ClientEndpoint(endpoint).Connect().Subscribe(
            connection =>
            {
                _failures = 0;
                Session(connection);
            },
            error => Retry($"connect failed ({error.GetType().Name})"));
    }

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"client: {_connections} connections, {_sent} heartbeats sent, {_echoed} echo bytes received");

    private void Session(IConnection connection)
    {
        _connections++;
        timeline.Note($"client: connected as {Heartbeats.Name(connection.LocalEndPoint)}");
        var beats = Observable.Interval(Heartbeats.Interval, reactor.Scheduler).Subscribe(n =>
        {
            _sent++;
            connection.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"heartbeat {n + 1}"), LineOptions.Default); // LF, as the echo counts it
        });
        connection.Input.Timeout(Heartbeats.IdleLimit, reactor.Scheduler).Subscribe(
            chunk => _echoed += chunk.Length,
            error =>
            {
                if (error is TimeoutException)
                {
                    timeline.Note($"client: no echo for {Heartbeats.IdleLimit.TotalSeconds} s, abandoning the connection");
                    connection.Dispose();
                }
                else
                {
                    timeline.Note($"client: connection failed: {error.GetType().Name}");
                }
            },
            () =>
            {
                timeline.Note("client: the server closed the connection");
                connection.Output.OnCompleted();
            });
        connection.Closed.Subscribe(closed =>
        {
            beats.Dispose();
            Retry($"connection closed ({closed.Reason})");
        });
    }

    private void Retry(string why)
    {
        double seconds = Math.Min(MaxDelay, InitialDelay * Math.Pow(Factor, _failures++));
        var delay = TimeSpan.FromMilliseconds(Math.Round(seconds * (1 + (Jitter * ((2 * random.NextDouble()) - 1))) * 1000));
        timeline.Note(string.Create(CultureInfo.InvariantCulture, $"client: {why}; reconnecting in {delay.TotalSeconds:F3} s"));
        reactor.Scheduler.Schedule(delay, Connect);
    }
}
