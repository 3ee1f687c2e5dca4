using System.Globalization;
using System.Reactive.Disposables;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Reactive.Testing;
using RxNet.Testing.Internal;

namespace RxNet.Testing;

/// <summary>
/// A network of named hosts driven by a <see cref="TestScheduler"/>: connections between hosts carry
/// bytes over links with latency, bandwidth and random re-chunking, and can be partitioned, healed and
/// reset; datagrams cross the same links and may be lost, duplicated or reordered; all in virtual time
/// and all decided by one seed.
/// </summary>
/// <remarks>
/// <para>Every delivery and timer is a scheduled item of the scheduler: nothing happens until the test
/// calls <c>Start()</c> or <c>AdvanceBy</c>, and no thread, task or wall clock is involved.
/// Connections keep the socket transport's contract (see <see cref="IConnection"/>): cold unicast input
/// that keeps bytes arriving while nobody reads (up to <see cref="ReceiveWindow"/>, after which the
/// sender stops, as TCP flow control does), copied and coalesced output with water marks, half-close,
/// resets and the close reasons of <see cref="ConnectionCloseReason"/>.</para>
/// <para>Connecting takes one link latency: the server's connection is accepted and the client's
/// returned at that instant; a port nobody listens on is refused then. A connect across a partition
/// fails with <see cref="TimeoutException"/> after <see cref="ConnectTimeout"/>.</para>
/// <para>Datagrams (<see cref="IReactor.DatagramEndpoint"/>) take the link's bandwidth and latency too, and
/// its <see cref="LinkOptions.Loss"/>, <see cref="LinkOptions.Duplication"/> and
/// <see cref="LinkOptions.Reordering"/> chances; one sent across a partition, or arriving while one
/// holds, is lost; one arriving at a port nobody binds (or bound by a socket connected to another peer) is
/// dropped (<see cref="NetworkEventKind.Unreachable"/>), and a connected sender hears of it one latency later
/// (<see cref="NetworkEventKind.Refused"/>): its input fails with <see cref="ConnectionRefusedException"/>.</para>
/// <para>A stream segment lost by the link's <see cref="LinkOptions.Loss"/> is retransmitted: it and
/// everything sent after it on that connection arrive <see cref="LinkOptions.RetransmissionTimeout"/> later,
/// intact and in order.</para>
/// <para>Not thread-safe: use it only from the scheduler's thread (the test).</para>
/// </remarks>
public sealed class SimulatedNetwork
{
    private readonly Dictionary<string, SimulatedHost> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), LinkState> _links = [];
    private readonly HashSet<(string, string)> _partitions = [];
    private readonly List<NetworkEvent> _trace = [];
    private readonly List<SimulatedConnection> _connections = [];
    private readonly List<Exception> _callbackErrors = [];

    /// <summary>Creates an empty network.</summary>
    /// <param name="scheduler">The virtual clock that drives every delivery and timer.</param>
    /// <param name="seed">The seed of every random choice (re-chunking, datagram loss, duplication and
    /// reordering); the same seed replays the same run.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scheduler"/> is null.</exception>
    public SimulatedNetwork(TestScheduler scheduler, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        Scheduler = scheduler;
        Seed = seed;
        Random = new Random(seed);
    }

    /// <summary>The virtual clock.</summary>
    public TestScheduler Scheduler { get; }

    /// <summary>The seed given to the constructor.</summary>
    public int Seed { get; }

    /// <summary>How long a connect attempt that gets no answer waits before failing; 30 s by default.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The bytes a receiver keeps for a connection (or datagram socket) nobody reads; a
    /// connection's sender stops while it is full, datagrams beyond it are lost. 64 KiB by default.</summary>
    public int ReceiveWindow { get; set; } = 64 * 1024;

    /// <summary>The meter factory of the <see cref="RxNetMetrics"/> instruments of connections made from
    /// now on (the same instruments the socket transport publishes), or <see langword="null"/> for the
    /// process-wide meter. Give a spec its own factory to count only its network's connections.</summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }

    /// <summary>Where the reactors of hosts made from now on log a callback that threw (category <c>RxNet.Reactor</c>):
    /// a <c>CallLater</c> callback or other work on a host's <see cref="IReactor.Scheduler"/> that throws is logged
    /// with its source and virtual time goes on, as on the socket reactor. No logging by default.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>Every exception that escaped work on a host reactor's scheduler so far, in order (also logged to
    /// <see cref="LoggerFactory"/>). A spec that expects none asserts this is empty, as Twisted's trial fails a test
    /// that logged an error: an assertion that fails inside such a callback lands here, not in the spec.</summary>
    /// <remarks>Work scheduled on <see cref="Scheduler"/> itself, not through a host's reactor, is not caught: its
    /// exception reaches whoever advances the clock.</remarks>
    public IReadOnlyList<Exception> CallbackErrors => _callbackErrors;

    /// <summary>The flow-control limits of connections made from now on.</summary>
    public ConnectionOptions ConnectionOptions { get; set; } = ConnectionOptions.Default;

    /// <summary>Whether <see cref="Trace"/> records events; on by default. Every event (with its payload) is
    /// kept for the network's life, so turn it off for long runs that push megabytes in tiny segments.</summary>
    public bool RecordsTrace { get; set; } = true;

    /// <summary>Everything that crossed the network so far, in order (while <see cref="RecordsTrace"/> is on).</summary>
    public IReadOnlyList<NetworkEvent> Trace => _trace;

    internal Random Random { get; }

    internal void RecordCallbackError(Exception error) => _callbackErrors.Add(error);

    /// <summary>Creates the host called <paramref name="name"/>, or returns it if it exists.</summary>
    /// <param name="name">The host's name.</param>
    /// <returns>The host.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public SimulatedHost Host(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_hosts.TryGetValue(name, out var host))
            _hosts.Add(name, host = new SimulatedHost(this, name));
        return host;
    }

    /// <summary>Sets the link between two hosts, in both directions.</summary>
    /// <param name="a">One host's name.</param>
    /// <param name="b">The other host's name.</param>
    /// <param name="options">How the link carries bytes.</param>
    /// <remarks>Bytes already on their way keep the timing they were sent with.</remarks>
    public void Link(string a, string b, LinkOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(a);
        ArgumentException.ThrowIfNullOrEmpty(b);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        LinkFor(a, b).Options = options;
        LinkFor(b, a).Options = options;
    }

    /// <summary>Cuts the two hosts apart: nothing crosses until <see cref="Heal"/>. Bytes sent meanwhile
    /// wait at the sender and arrive after healing, as TCP retransmission would deliver them.</summary>
    /// <param name="a">One host's name.</param>
    /// <param name="b">The other host's name.</param>
    /// <remarks>The <see cref="Trace"/> records a <see cref="NetworkEventKind.Partitioned"/> event from
    /// <paramref name="a"/> to <paramref name="b"/> at the current virtual time; partitioning hosts that are
    /// already apart changes nothing and records nothing.</remarks>
    public void Partition(string a, string b)
    {
        ArgumentException.ThrowIfNullOrEmpty(a);
        ArgumentException.ThrowIfNullOrEmpty(b);
        if (_partitions.Add(Key(a, b)))
            Record(a, b, NetworkEventKind.Partitioned);
    }

    /// <summary>Reconnects two partitioned hosts: what waited is sent, one latency later.</summary>
    /// <param name="a">One host's name.</param>
    /// <param name="b">The other host's name.</param>
    /// <remarks>The <see cref="Trace"/> records a <see cref="NetworkEventKind.Healed"/> event from
    /// <paramref name="a"/> to <paramref name="b"/> at the current virtual time; healing hosts that are not
    /// apart changes nothing and records nothing.</remarks>
    public void Heal(string a, string b)
    {
        ArgumentException.ThrowIfNullOrEmpty(a);
        ArgumentException.ThrowIfNullOrEmpty(b);
        if (!_partitions.Remove(Key(a, b)))
            return;
        Record(a, b, NetworkEventKind.Healed);
        foreach (var connection in _connections.ToArray())
            if (Key(connection.LocalHost, connection.RemoteHost) == Key(a, b))
                connection.Resume();
    }

    /// <summary>Resets a connection now, as a middlebox would: both sides' inputs fail with
    /// <see cref="ConnectionResetException"/> and both close with <see cref="ConnectionCloseReason.Reset"/>.</summary>
    /// <param name="connection">A connection made by this network.</param>
    /// <exception cref="ArgumentException">The connection does not belong to this network.</exception>
    public void Reset(IConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is not SimulatedConnection simulated || !simulated.BelongsTo(this))
            throw new ArgumentException("The connection was not made by this simulated network.", nameof(connection));
        simulated.ResetByNetwork();
    }

    /// <summary>The trace as text: one line per event, with its virtual time.</summary>
    /// <returns>The lines, separated by <c>\n</c>.</returns>
    public string TraceText()
    {
        var text = new StringBuilder();
        foreach (var e in _trace)
            text.Append(e.ToString()).Append('\n');
        return text.ToString();
    }

    internal long Now => Scheduler.Clock;

    internal bool IsPartitioned(string a, string b) => _partitions.Contains(Key(a, b));

    internal LinkState LinkFor(string from, string to)
    {
        if (!_links.TryGetValue((from, to), out var link))
            _links.Add((from, to), link = new LinkState());
        return link;
    }

    internal bool TryGetHost(string name, out SimulatedHost host) => _hosts.TryGetValue(name, out host!);

    internal void Record(string from, string to, NetworkEventKind kind, ReadOnlyMemory<byte> payload = default)
    {
        if (RecordsTrace)
            _trace.Add(new NetworkEvent(Now, from, to, kind, payload.Length) { Payload = payload });
    }

    internal void Register(SimulatedConnection connection) => _connections.Add(connection);

    /// <summary>Runs <paramref name="action"/> at virtual time <paramref name="ticks"/> (the TestScheduler
    /// runs anything due now or earlier one tick later).</summary>
    internal IDisposable ScheduleAt(long ticks, Action action) =>
        Scheduler.ScheduleAbsolute(action, ticks, static (_, a) =>
        {
            a();
            return Disposable.Empty;
        });

    /// <summary>Connects from <paramref name="from"/> to <paramref name="host"/>:<paramref name="port"/>.</summary>
    internal IDisposable Connect(SimulatedHost from, string host, int port, TimeSpan timeout, IObserver<IConnection> observer)
    {
        var attempt = new SerialDisposable();
        string target = string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
        long started = Now;
        void TimeOut() => attempt.Disposable = ScheduleAt(started + timeout.Ticks, () =>
        {
            Record(from.Name, target, NetworkEventKind.Timeout);
            observer.OnError(new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"Connecting from {from.Name} to {target} timed out after {timeout.TotalSeconds} s (virtual).")));
        });
        if (IsPartitioned(from.Name, host))
        {
            TimeOut();
            return attempt;
        }
        attempt.Disposable = ScheduleAt(started + LinkFor(from.Name, host).Options.Latency.Ticks, () =>
        {
            if (IsPartitioned(from.Name, host))
            {
                TimeOut();
                return;
            }
            if (!_hosts.TryGetValue(host, out var server) || !server.Listeners.TryGetValue(port, out var listener))
            {
                Record(from.Name, target, NetworkEventKind.Refused);
                observer.OnError(new ConnectionRefusedException($"Nobody listens at {target} (simulated, from {from.Name})."));
                return;
            }
            int localPort = from.NextEphemeralPort++;
            var metrics = RxNet.Transport.ConnectionMetrics.For(MeterFactory);
            var client = new SimulatedConnection(this, from.Name, localPort, host, port, ConnectionOptions, metrics, accepted: false);
            var accepted = new SimulatedConnection(this, host, port, from.Name, localPort, ConnectionOptions, metrics, accepted: true);
            client.Peer = accepted;
            accepted.Peer = client;
            Register(client);
            Register(accepted);
            Record(client.Name, accepted.Name, NetworkEventKind.Connect);
            listener.Accept(accepted);
            observer.OnNext(client);
            observer.OnCompleted();
        });
        return attempt;
    }

    /// <summary>Sends one datagram: lost, duplicated or held back as the link's chances say (in that
    /// order of draws, each only when its chance is above 0), then delivered to whoever is bound at arrival.</summary>
    internal void SendDatagram(SimulatedDatagramSocket from, byte[] payload, string toHost, int toPort)
    {
        string to = string.Create(CultureInfo.InvariantCulture, $"{toHost}:{toPort}");
        var link = LinkFor(from.HostName, toHost);
        var options = link.Options;
        if (IsPartitioned(from.HostName, toHost) || Chance(options.Loss))
        {
            Record(from.Name, to, NetworkEventKind.Lost, payload);
            return;
        }
        int copies = Chance(options.Duplication) ? 2 : 1;
        for (int i = 0; i < copies; i++)
        {
            long arrival = link.Transmit(payload.Length, Now) + (Chance(options.Reordering) ? options.Latency.Ticks : 0);
            ScheduleAt(arrival, () => ArriveDatagram(from, payload, toHost, toPort, to));
        }
    }

    private void ArriveDatagram(SimulatedDatagramSocket from, byte[] payload, string toHost, int toPort, string to)
    {
        if (IsPartitioned(from.HostName, toHost))
            Record(from.Name, to, NetworkEventKind.Lost, payload);
        else if (_hosts.TryGetValue(toHost, out var host) && host.DatagramSockets.TryGetValue(toPort, out var socket) && socket.Accepts(from))
            socket.Receive(new Datagram(payload, from.LocalEndPoint));
        else
        {
            Record(from.Name, to, NetworkEventKind.Unreachable, payload);
            if (from.Remote is not null)
                ReportUnreachable(from, toHost, to);
        }
    }

    /// <summary>The ICMP port-unreachable a host sends back, one latency later, to a connected sender
    /// (unconnected ones never hear of it, as on Linux); lost across a partition like any datagram.</summary>
    private void ReportUnreachable(SimulatedDatagramSocket from, string toHost, string to)
    {
        long arrival = LinkFor(toHost, from.HostName).Transmit(0, Now);
        ScheduleAt(arrival, () =>
        {
            if (from.IsDisposed || IsPartitioned(toHost, from.HostName))
                return;
            Record(to, from.Name, NetworkEventKind.Refused);
            from.Refuse();
        });
    }

    internal bool Chance(double chance) => chance > 0 && Random.NextDouble() < chance;

    private static (string, string) Key(string a, string b) =>
        string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
}
