using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;
using Xunit;

namespace RxNet.Testing.Specs.Connections;

/// <summary>
/// Nothing is lost between one subscriber and the next, in the way it is most often written:
/// <c>var line = await input.Lines().FirstAsync();</c> then, at once, the next read. The code after the
/// <c>await</c> runs inside the first subscription's last <c>OnNext</c>, before that subscription is disposed;
/// the next subscriber is let in all the same, and the rest of the chunk the first line came in is not lost.
/// </summary>
public sealed class InputHandoverSpecs
{
    private const string Payload = "one\r\ntwo\r\n";

    public static TheoryData<int> SplitPoints() => [.. Enumerable.Range(0, Payload.Length + 1)];

    [Theory]
    [MemberData(nameof(SplitPoints))]
    public void AwaitedFirstLine_NextReadAtOnce_GetsTheSecondLineAtEverySplit(int split)
    {
        var (scheduler, client, server) = Connect();
        var lines = new List<string>();

        // Continuations of the Rx awaiter run inline (inside OnNext) when there is no synchronization context,
        // as on an I/O thread.
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        Task reading;
        try
        {
            reading = ReadTwoLinesAsync(client.Input, lines);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        WriteSplit(scheduler, server, split);
        scheduler.Start();

        Assert.True(reading.IsCompletedSuccessfully, reading.Exception?.ToString() ?? "the second read never finished");
        Assert.Equal(["one", "two"], lines);
    }

    [Theory]
    [MemberData(nameof(SplitPoints))]
    public void FirstLine_RawSubscriberFromInsideItsOnNext_GetsEveryLaterByteAtEverySplit(int split)
    {
        var (scheduler, client, server) = Connect();
        string? first = null;
        var rest = new StringBuilder();
        Exception? error = null;
        bool completed = false;
        using var firstLine = client.Input.Lines().FirstAsync().Subscribe(line =>
        {
            first = line;
            client.Input.Subscribe(chunk => rest.Append(Encoding.ASCII.GetString(chunk.Span)), e => error = e, () => completed = true);
        });

        WriteSplit(scheduler, server, split);
        scheduler.Schedule(TimeSpan.FromMilliseconds(10), () => { server.Output.OnNext("three"u8.ToArray()); server.Output.OnCompleted(); });
        scheduler.Start();

        Assert.Null(error);
        Assert.Equal("one", first);
        Assert.Equal("two\r\nthree", rest.ToString());
        Assert.True(completed);
    }

    [Fact]
    public void SecondConcurrentSubscriber_SubscribedInsideTheFirstsOnNextWhichStays_GetsTheUnicastError()
    {
        var (scheduler, client, server) = Connect();
        var received = new StringBuilder();
        Exception? second = null;
        bool subscribed = false;
        using var first = client.Input.Subscribe(chunk =>
        {
            received.Append(Encoding.ASCII.GetString(chunk.Span));
            if (!subscribed)
            {
                subscribed = true;
                client.Input.Subscribe(_ => { }, e => second = e); // the first stays subscribed
            }
        });

        WriteSplit(scheduler, server, 3);
        scheduler.Start();

        var error = Assert.IsType<InvalidOperationException>(second);
        Assert.Contains("Publish", error.Message, StringComparison.Ordinal);
        Assert.Equal(Payload, received.ToString());
    }

    private static async Task ReadTwoLinesAsync(IConnectionInput input, List<string> lines)
    {
        lines.Add(await input.Lines().FirstAsync());
        lines.Add(await input.Lines().FirstAsync());
    }

    /// <summary>Writes the payload in two pieces, a millisecond apart, so that they arrive as two chunks.</summary>
    private static void WriteSplit(TestScheduler scheduler, IConnection server, int split)
    {
        var bytes = Encoding.ASCII.GetBytes(Payload);
        scheduler.Schedule(TimeSpan.FromMilliseconds(2), () =>
        {
            if (split > 0)
                server.Output.OnNext(bytes.AsMemory(0, split));
        });
        scheduler.Schedule(TimeSpan.FromMilliseconds(3), () =>
        {
            if (split < bytes.Length)
                server.Output.OnNext(bytes.AsMemory(split));
        });
    }

    private static (TestScheduler Scheduler, IConnection Client, IConnection Server) Connect()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromTicks(1) });
        IConnection? server = null, client = null;
        network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(c => server = c);
        network.Host("client").Reactor.ClientEndpoint("tcp:server:8000").Connect().Subscribe(c => client = c);
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1).Ticks);
        Assert.NotNull(server);
        Assert.NotNull(client);
        return (scheduler, client, server);
    }
}
