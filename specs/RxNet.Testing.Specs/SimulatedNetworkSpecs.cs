using System.Text;
using Microsoft.Reactive.Testing;
using Xunit;

namespace RxNet.Testing.Specs;

/// <summary>
/// The simulated network in virtual time: links add latency, bandwidth and re-chunking, faults (reset,
/// partition, refusal) behave as TCP's do, and a seed replays a run exactly. Every spec finishes by
/// driving the <see cref="TestScheduler"/>. (That its connections keep the connection contract is
/// shown by the transport contract suite: see <see cref="SimulatedTransportContractSpecs"/>.)
/// </summary>
public sealed class SimulatedNetworkSpecs
{
    private static readonly long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();

    [Fact]
    public void Latency_TenMilliseconds_DataArrivesTenMillisecondsAfterTheWrite()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) });
        var arrivals = new List<long>();
        long connectedAt = -1;
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Input.Subscribe(_ => arrivals.Add(_scheduler.Clock)));
        var client = Connect(network, "client", "tcp:server:8000", () => connectedAt = _scheduler.Clock);

        _scheduler.AdvanceTo(20 * Ms);
        client.Output.OnNext(new byte[] { 1, 2, 3 });
        _scheduler.Start();

        Assert.Equal(10 * Ms, connectedAt);
        Assert.Equal([30 * Ms], arrivals);
    }

    [Fact]
    public void Bandwidth_ThousandBytesPerSecond_FiveHundredBytesArriveCompleteAfterHalfASecondPlusLatency()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(10), BytesPerSecond = 1000 });
        var arrivals = new List<(long At, int Length)>();
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Input.Subscribe(chunk => arrivals.Add((_scheduler.Clock, chunk.Length))));
        var client = Connect(network, "client", "tcp:server:8000");

        _scheduler.AdvanceTo(100 * Ms);
        client.Output.OnNext(new byte[500]);
        _scheduler.Start();

        Assert.Equal([(100 * Ms + 500 * Ms + 10 * Ms, 500)], arrivals);
    }

    [Fact]
    public void Chunking_MaxSegmentSizeOne_DeliversEveryByteInOrderAsOneByteChunks()
    {
        var network = new SimulatedNetwork(_scheduler, seed: 7);
        network.Link("client", "server", new LinkOptions { MaxSegmentSize = 1 });
        var chunks = new List<byte[]>();
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Input.Subscribe(chunk => chunks.Add(chunk.ToArray())));
        var client = Connect(network, "client", "tcp:server:8000");
        byte[] message = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();

        client.Output.OnNext(message);
        _scheduler.Start();

        Assert.All(chunks, chunk => Assert.Single(chunk));
        Assert.Equal(message, chunks.SelectMany(c => c).ToArray());
    }

    [Fact]
    public void Loss_OnAStreamLinkLosingEverySegment_BytesArriveIntactOneRetransmissionTimeoutLate()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("client", "server", new LinkOptions
        {
            Latency = TimeSpan.FromMilliseconds(10),
            Loss = 1,
            RetransmissionTimeout = TimeSpan.FromMilliseconds(300),
        });
        var arrivals = new List<(long At, byte[] Data)>();
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Input.Subscribe(chunk => arrivals.Add((_scheduler.Clock, chunk.ToArray()))));
        var client = Connect(network, "client", "tcp:server:8000");

        _scheduler.AdvanceTo(20 * Ms);
        client.Output.OnNext(new byte[] { 1, 2, 3 });
        _scheduler.Start();

        Assert.Equal(330 * Ms, Assert.Single(arrivals).At); // 30 ms without loss, plus the timeout
        Assert.Equal([1, 2, 3], arrivals[0].Data);
        Assert.Equal(
            [(30 * Ms, NetworkEventKind.Lost), (330 * Ms, NetworkEventKind.Data)],
            network.Trace.Where(e => e.Bytes > 0).Select(e => (e.Ticks, e.Kind)));
    }

    [Fact]
    public void Loss_OnAChunkedStreamLink_EveryByteArrivesInOrderLaterThanWithoutLossAndTheSeedReplaysIt()
    {
        byte[] message = Enumerable.Range(0, 2000).Select(i => (byte)i).ToArray();

        var (lossless, _, _) = SendOverLossyLink(message, loss: 0);
        var (lossy, lostCount, trace) = SendOverLossyLink(message, loss: 0.3);
        var (_, _, replayed) = SendOverLossyLink(message, loss: 0.3);

        Assert.Equal(message, lossless.SelectMany(a => a.Data).ToArray());
        Assert.Equal(message, lossy.SelectMany(a => a.Data).ToArray());
        Assert.InRange(lostCount, 1, int.MaxValue);
        Assert.Equal(lossy.Select(a => a.At).Order(), lossy.Select(a => a.At));
        Assert.Equal(10 * Ms, lossless.Max(a => a.At) - 20 * Ms);
        Assert.True(lossy.Max(a => a.At) >= 20 * Ms + 10 * Ms + 200 * Ms, "a lost segment waits one 200 ms default timeout");
        Assert.Equal(trace, replayed);
    }

    private static (List<(long At, byte[] Data)> Arrivals, int Lost, string Trace) SendOverLossyLink(byte[] message, double loss)
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler, seed: 3);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(10), MaxSegmentSize = 64, Loss = loss });
        var arrivals = new List<(long At, byte[] Data)>();
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Input.Subscribe(chunk => arrivals.Add((scheduler.Clock, chunk.ToArray()))));
        IConnection? client = null;
        network.Host("client").Reactor.ClientEndpoint("tcp:server:8000").Connect().Subscribe(c => client = c);
        scheduler.AdvanceTo(20 * Ms);
        client!.Output.OnNext(message);
        scheduler.Start();
        return (arrivals, network.Trace.Count(e => e.Kind == NetworkEventKind.Lost), network.TraceText());
    }

    [Fact]
    public void Reset_ByTheNetwork_BothInputsFailWithConnectionResetAndCloseAsReset()
    {
        var network = new SimulatedNetwork(_scheduler);
        IConnection? server = null;
        Exception? serverError = null, clientError = null;
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => { server = c; c.Input.Subscribe(_ => { }, e => serverError = e); });
        var client = Connect(network, "client", "tcp:server:8000");
        client.Input.Subscribe(_ => { }, e => clientError = e);

        network.Reset(client);
        _scheduler.Start();

        Assert.IsType<ConnectionResetException>(clientError);
        Assert.IsType<ConnectionResetException>(serverError);
        Assert.Equal(ConnectionCloseReason.Reset, Closed(client)!.Reason);
        Assert.Equal(ConnectionCloseReason.Reset, Closed(server!)!.Reason);
    }

    [Fact]
    public void Dispose_ByTheClient_ServerInputFailsWithConnectionResetOneLatencyLater()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) });
        IConnection? server = null;
        long failedAt = -1;
        Exception? serverError = null;
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => { server = c; c.Input.Subscribe(_ => { }, e => (serverError, failedAt) = (e, _scheduler.Clock)); });
        var client = Connect(network, "client", "tcp:server:8000");

        _scheduler.AdvanceTo(50 * Ms);
        client.Dispose();
        _scheduler.Start();

        Assert.IsType<ConnectionResetException>(serverError);
        Assert.Equal(60 * Ms, failedAt);
        Assert.Equal(ConnectionCloseReason.Aborted, Closed(client)!.Reason);
        Assert.Equal(ConnectionCloseReason.Reset, Closed(server!)!.Reason);
    }

    [Fact]
    public void Partition_ThenHeal_DataWrittenDuringThePartitionArrivesOneLatencyAfterHealing()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) });
        var arrivals = new List<(long At, byte[] Data)>();
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Input.Subscribe(chunk => arrivals.Add((_scheduler.Clock, chunk.ToArray()))));
        var client = Connect(network, "client", "tcp:server:8000");
        _scheduler.AdvanceTo(20 * Ms);

        network.Partition("server", "client");
        client.Output.OnNext(new byte[] { 1, 2, 3 });
        _scheduler.AdvanceTo(5000 * Ms);
        Assert.Empty(arrivals);
        network.Heal("client", "server");
        _scheduler.Start();

        Assert.Equal(5010 * Ms, Assert.Single(arrivals).At);
        Assert.Equal([1, 2, 3], arrivals[0].Data);
    }

    [Fact]
    public void Trace_PartitionAndHealDuringAConversation_ShowInOrderAtTheTicksTheyHappened()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) });
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Input.Subscribe(_ => { }));
        var client = Connect(network, "client", "tcp:server:8000");
        _scheduler.AdvanceTo(20 * Ms);

        network.Partition("server", "client");
        network.Partition("client", "server"); // already apart: not recorded again
        client.Output.OnNext(new byte[] { 1, 2, 3 });
        _scheduler.AdvanceTo(5000 * Ms);
        network.Heal("client", "server");
        network.Heal("client", "server"); // no longer apart: not recorded again
        _scheduler.Start();

        Assert.Equal(
            [
                (10 * Ms, NetworkEventKind.Connect),
                (20 * Ms, NetworkEventKind.Partitioned),
                (5000 * Ms, NetworkEventKind.Healed),
                (5010 * Ms, NetworkEventKind.Data),
            ],
            network.Trace.Select(e => (e.Ticks, e.Kind)));
        Assert.Equal(("server", "client"), (network.Trace[1].From, network.Trace[1].To));
        Assert.Equal(("client", "server"), (network.Trace[2].From, network.Trace[2].To));
        Assert.Contains("server -> client Partitioned", network.TraceText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Partition_DuringConnect_FailsWithTimeoutAfterTheConnectTimeout()
    {
        var network = new SimulatedNetwork(_scheduler);
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(_ => { });
        network.Partition("client", "server");
        Exception? error = null;
        long failedAt = -1;

        network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect()
            .Subscribe(_ => { }, e => (error, failedAt) = (e, _scheduler.Clock));
        _scheduler.Start();

        Assert.IsType<TimeoutException>(error);
        Assert.Equal(TimeSpan.FromSeconds(30).Ticks, failedAt);
    }

    [Fact]
    public void Connect_ToAPortNobodyListensOn_FailsWithConnectionRefusedAfterOneLatency()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Host("server");
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) });
        Exception? error = null;
        long failedAt = -1;

        network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=9").Connect()
            .Subscribe(_ => { }, e => (error, failedAt) = (e, _scheduler.Clock));
        _scheduler.Start();

        Assert.IsType<ConnectionRefusedException>(error);
        Assert.Equal(10 * Ms, failedAt);
    }

    [Fact]
    public void ReceiveWindow_NobodyReads_SenderStopsOnceTheWindowIsFull()
    {
        var network = new SimulatedNetwork(_scheduler);
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(_ => { });
        var client = Connect(network, "client", "tcp:server:8000");

        client.Output.OnNext(new byte[200 * 1024]);
        _scheduler.Start(); // runs until everything stalls: the server reads nothing

        Assert.Equal(200 * 1024 - network.ReceiveWindow, client.Output.PendingBytes);
        Assert.Equal(network.ReceiveWindow, network.Trace.Where(e => e.Kind == NetworkEventKind.Data).Sum(e => e.Bytes));
    }

    [Fact]
    public void Output_WritesInOneTurn_LeaveAsOneSegment()
    {
        var network = new SimulatedNetwork(_scheduler);
        var chunks = new List<int>();
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Input.Subscribe(chunk => chunks.Add(chunk.Length)));
        var client = Connect(network, "client", "tcp:server:8000");

        client.Output.OnNext(new byte[10]);
        client.Output.OnNext(new byte[20]);
        client.Output.OnNext(new byte[30]);
        _scheduler.Start();

        Assert.Equal([60], chunks);
        Assert.Single(network.Trace, e => e.Kind == NetworkEventKind.Data);
    }

    [Fact]
    public void Trace_SameSeed_GivesTheSameTraceTextAndAnotherSeedADifferentOne()
    {
        string first = RunChunkedEcho(seed: 1);
        string again = RunChunkedEcho(seed: 1);
        string other = RunChunkedEcho(seed: 2);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Contains("Connect", first, StringComparison.Ordinal);
        Assert.Contains("Fin", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_RecordingTurnedOff_KeepsNoEventWhileTheConversationStillHappens()
    {
        var network = new SimulatedNetwork(_scheduler) { RecordsTrace = false };
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Input.Subscribe(c.Output));
        var received = new StringBuilder();
        network.Host("client").Reactor.ClientEndpoint("tcp:server:8000").Connect().Subscribe(c =>
        {
            c.Input.Subscribe(chunk => received.Append(Encoding.UTF8.GetString(chunk.Span)));
            c.Output.OnNext("ping"u8.ToArray());
            c.Output.OnCompleted();
        });

        _scheduler.Start();

        Assert.Equal("ping", received.ToString());
        Assert.Empty(network.Trace);
    }

    private static string RunChunkedEcho(int seed)
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler, seed);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(3), BytesPerSecond = 100_000, MaxSegmentSize = 64 });
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Input.Subscribe(c.Output));
        network.Host("client").Reactor.ClientEndpoint("tcp:server:8000").Connect().Subscribe(c =>
        {
            c.Input.Subscribe(_ => { });
            c.Output.OnNext(new byte[1000]);
            c.Output.OnCompleted();
        });
        scheduler.Start();
        return network.TraceText();
    }

    private IConnection Connect(SimulatedNetwork network, string from, string description, Action? connected = null)
    {
        IConnection? connection = null;
        Exception? error = null;
        network.Host(from).Reactor.ClientEndpoint(description).Connect().Subscribe(c =>
        {
            connection = c;
            connected?.Invoke();
        }, e => error = e);
        for (int tick = 0; connection is null && error is null && tick < TimeSpan.TicksPerSecond; tick++)
            _scheduler.AdvanceBy(1); // stop right when the connection is made, whatever the latency
        Assert.Null(error);
        return Assert.IsAssignableFrom<IConnection>(connection);
    }

    private static ConnectionClosed? Closed(IConnection connection)
    {
        ConnectionClosed? closed = null;
        connection.Closed.Subscribe(c => closed = c);
        return closed;
    }
}
