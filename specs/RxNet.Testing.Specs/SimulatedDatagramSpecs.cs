using System.Net;
using System.Text;
using Microsoft.Reactive.Testing;
using Xunit;

namespace RxNet.Testing.Specs;

/// <summary>
/// Datagrams on the simulated network: whole, timed by the link, and lost, duplicated or reordered
/// only as the link's seeded chances say, so the application sees exactly what survived.
/// </summary>
public sealed class SimulatedDatagramSpecs
{
    private static readonly long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();

    [Fact]
    public void Datagram_SentToABoundPort_ArrivesWholeOneLatencyLaterWithTheSendersAddress()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("a", "b", new LinkOptions { Latency = TimeSpan.FromMilliseconds(5) });
        var sender = Bind(network, "a", "udp:0");
        var receiver = Bind(network, "b", "udp:9999");
        var received = new List<(long Ticks, string Text, EndPoint From)>();
        receiver.Input.Subscribe(d => received.Add((_scheduler.Clock, Encoding.UTF8.GetString(d.Payload.Span), d.RemoteEndPoint)));

        _scheduler.AdvanceTo(10 * Ms);
        sender.Output.OnNext(Text("hello", "b", 9999));
        _scheduler.Start();

        var only = Assert.Single(received);
        Assert.Equal(15 * Ms, only.Ticks);
        Assert.Equal("hello", only.Text);
        Assert.Equal(sender.LocalEndPoint, only.From);
    }

    [Fact]
    public void Datagrams_OnAFaultlessLink_AreNeverMergedOrSplitAndKeepTheirOrder()
    {
        var network = new SimulatedNetwork(_scheduler);
        var sender = Bind(network, "a", "udp:0");
        var receiver = Bind(network, "b", "udp:9999");
        var sizes = new List<int>();
        receiver.Input.Subscribe(d => sizes.Add(d.Payload.Length));
        int[] sent = [1, 1000, 0, 65_507, 7];

        foreach (int size in sent)
            sender.Output.OnNext(new Datagram(new byte[size], new DnsEndPoint("b", 9999)));
        _scheduler.Start();

        Assert.Equal(sent, sizes);
    }

    [Fact]
    public void Loss_HalfTheDatagrams_TheApplicationSeesExactlyThoseTheTraceShowsArriving()
    {
        var network = new SimulatedNetwork(_scheduler, seed: 7);
        network.Link("a", "b", new LinkOptions { Loss = 0.5 });
        var (received, _) = SendNumbered(network, count: 200, spacing: Ms);

        var arrived = network.Trace.Where(e => e.Kind == NetworkEventKind.Datagram).Select(e => Encoding.UTF8.GetString(e.Payload.Span));
        int lost = network.Trace.Count(e => e.Kind == NetworkEventKind.Lost);
        Assert.Equal(arrived, received);
        Assert.Equal(200, received.Count + lost);
        Assert.InRange(lost, 50, 150); // a fair coin over 200 throws, with this seed
    }

    [Fact]
    public void Duplication_Certain_EveryDatagramArrivesTwice()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("a", "b", new LinkOptions { Duplication = 1 });
        var (received, _) = SendNumbered(network, count: 3, spacing: Ms);

        Assert.Equal(["0", "0", "1", "1", "2", "2"], received);
    }

    [Fact]
    public void Reordering_HalfTheDatagrams_ArriveInAnotherOrderWithNoneLostOrAdded()
    {
        var network = new SimulatedNetwork(_scheduler, seed: 3);
        network.Link("a", "b", new LinkOptions { Latency = TimeSpan.FromMilliseconds(10), Reordering = 0.5 });
        var (received, sent) = SendNumbered(network, count: 50, spacing: Ms);

        Assert.NotEqual(sent, received);
        Assert.Equal(sent.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LossAndReordering_OnOneLink_TheApplicationSeesExactlyTheSurvivorsInTheirArrivalOrder()
    {
        var network = new SimulatedNetwork(_scheduler, seed: 5);
        network.Link("a", "b", new LinkOptions { Latency = TimeSpan.FromMilliseconds(10), Loss = 0.3, Reordering = 0.4, Duplication = 0 });
        var (received, sent) = SendNumbered(network, count: 200, spacing: Ms);

        var survivors = network.Trace.Where(e => e.Kind == NetworkEventKind.Datagram && e.To == "b:9999")
            .Select(e => Encoding.UTF8.GetString(e.Payload.Span)).ToList();
        var lost = network.Trace.Where(e => e.Kind == NetworkEventKind.Lost).Select(e => Encoding.UTF8.GetString(e.Payload.Span)).ToList();
        Assert.Equal(survivors, received); // exactly, order included
        Assert.Equal(sent.Order(StringComparer.Ordinal), received.Concat(lost).Order(StringComparer.Ordinal)); // each once: survived or lost
        Assert.InRange(lost.Count, 30, 90); // 30 % of 200, with this seed
        Assert.NotEqual(received.Order(Comparer<string>.Create((x, y) => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture)
            .CompareTo(int.Parse(y, System.Globalization.CultureInfo.InvariantCulture)))), received); // and some overtook others
    }

    [Fact]
    public void Partition_DatagramsSentAcrossIt_AreLostAndThoseSentAfterHealingArrive()
    {
        var network = new SimulatedNetwork(_scheduler);
        var sender = Bind(network, "a", "udp:0");
        var receiver = Bind(network, "b", "udp:9999");
        var received = new List<string>();
        receiver.Input.Subscribe(d => received.Add(Encoding.UTF8.GetString(d.Payload.Span)));

        network.Partition("a", "b");
        sender.Output.OnNext(Text("during", "b", 9999));
        _scheduler.AdvanceBy(10 * Ms);
        network.Heal("a", "b");
        sender.Output.OnNext(Text("after", "b", 9999));
        _scheduler.Start();

        Assert.Equal(["after"], received);
        Assert.Single(network.Trace, e => e.Kind == NetworkEventKind.Lost);
    }

    [Fact]
    public void Datagram_ToAPortNobodyBinds_IsDroppedAndTracedAsUnreachable()
    {
        var network = new SimulatedNetwork(_scheduler);
        var sender = Bind(network, "a", "udp:0");

        sender.Output.OnNext(Text("anyone?", "b", 9999));
        _scheduler.Start();

        var only = Assert.Single(network.Trace);
        Assert.Equal(NetworkEventKind.Unreachable, only.Kind);
        Assert.Equal("b:9999", only.To);
    }

    [Fact]
    public void Input_NobodyReads_KeepsDatagramsUpToTheReceiveWindowThenLosesTheRest()
    {
        var network = new SimulatedNetwork(_scheduler) { ReceiveWindow = 2500 };
        var sender = Bind(network, "a", "udp:0");
        var receiver = Bind(network, "b", "udp:9999");
        for (int i = 0; i < 4; i++)
            sender.Output.OnNext(new Datagram(new byte[1000], new DnsEndPoint("b", 9999)));
        _scheduler.Start();

        var sizes = new List<int>();
        receiver.Input.Subscribe(d => sizes.Add(d.Payload.Length));
        _scheduler.Start();

        Assert.Equal([1000, 1000], sizes);
        Assert.Equal(2, network.Trace.Count(e => e.Kind == NetworkEventKind.Lost));
    }

    [Fact]
    public void Output_PayloadAboveTheMaximum_ThrowsNamingBothSizes()
    {
        var network = new SimulatedNetwork(_scheduler);
        var sender = Bind(network, "a", "udp:0");

        var error = Assert.Throws<ArgumentException>(() =>
            sender.Output.OnNext(new Datagram(new byte[65_508], new DnsEndPoint("b", 9999))));

        Assert.Contains("65508", error.Message, StringComparison.Ordinal);
        Assert.Contains("65507", error.Message, StringComparison.Ordinal);
        Assert.Equal(65_507, sender.MaxDatagramSize);
    }

    [Fact]
    public void Input_SecondConcurrentSubscriber_FailsWithInvalidOperationMentioningPublish()
    {
        var network = new SimulatedNetwork(_scheduler);
        var socket = Bind(network, "a", "udp:9999");
        socket.Input.Subscribe(_ => { });
        Exception? error = null;

        socket.Input.Subscribe(_ => { }, e => error = e);

        Assert.Contains("Publish", Assert.IsType<InvalidOperationException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_SubscriptionDisposed_CompletesTheInputAndFreesThePort()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("a").Reactor;
        IDatagramSocket? first = null;
        var binding = reactor.DatagramEndpoint("udp:9999").Bind().Subscribe(s => first = s);
        bool completed = false;
        first!.Input.Subscribe(_ => { }, () => completed = true);

        binding.Dispose();
        Exception? rebindError = null;
        IDatagramSocket? second = null;
        using var again = reactor.DatagramEndpoint("udp:9999").Bind().Subscribe(s => second = s, e => rebindError = e);

        Assert.True(completed);
        Assert.Null(rebindError);
        Assert.NotNull(second);
    }

    [Fact]
    public void Bind_PortInUse_FailsWithIOExceptionNamingThePort()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("a").Reactor;
        using var first = reactor.DatagramEndpoint("udp:9999").Bind().Subscribe(_ => { });
        Exception? error = null;

        using var second = reactor.DatagramEndpoint("udp:9999").Bind().Subscribe(_ => { }, e => error = e);

        Assert.Contains("9999", Assert.IsType<IOException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_LossyDuplicatingReorderingLink_SameSeedGivesTheSameTraceAndAnotherSeedADifferentOne()
    {
        static string Run(int seed)
        {
            var scheduler = new TestScheduler();
            var network = new SimulatedNetwork(scheduler, seed);
            network.Link("a", "b", new LinkOptions { Loss = 0.2, Duplication = 0.2, Reordering = 0.3 });
            var sender = Bind(network, "a", "udp:0");
            var receiver = Bind(network, "b", "udp:9999");
            receiver.Input.Subscribe(d => receiver.Output.OnNext(d)); // echo
            for (int i = 0; i < 40; i++)
                scheduler.ScheduleAbsolute(i, i * Ms, (_, n) =>
                {
                    sender.Output.OnNext(Text(n.ToString(System.Globalization.CultureInfo.InvariantCulture), "b", 9999));
                    return System.Reactive.Disposables.Disposable.Empty;
                });
            scheduler.Start();
            return network.TraceText();
        }

        string first = Run(11);

        Assert.Equal(first, Run(11));
        Assert.NotEqual(first, Run(12));
        Assert.Contains("Lost", first, StringComparison.Ordinal);
    }

    private (List<string> Received, List<string> Sent) SendNumbered(SimulatedNetwork network, int count, long spacing)
    {
        var sender = Bind(network, "a", "udp:0");
        var receiver = Bind(network, "b", "udp:9999");
        var received = new List<string>();
        receiver.Input.Subscribe(d => received.Add(Encoding.UTF8.GetString(d.Payload.Span)));
        var sent = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string text = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sent.Add(text);
            sender.Output.OnNext(Text(text, "b", 9999));
            _scheduler.AdvanceBy(spacing);
        }
        _scheduler.Start();
        return (received, sent);
    }

    private static IDatagramSocket Bind(SimulatedNetwork network, string host, string description)
    {
        IDatagramSocket? socket = null;
        network.Host(host).Reactor.DatagramEndpoint(description).Bind().Subscribe(s => socket = s);
        return Assert.IsAssignableFrom<IDatagramSocket>(socket);
    }

    private static Datagram Text(string text, string host, int port) =>
        new(Encoding.UTF8.GetBytes(text), new DnsEndPoint(host, port));
}
