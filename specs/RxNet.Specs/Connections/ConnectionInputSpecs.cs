using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Reactive.Testing;
using Xunit;

namespace RxNet.Specs.Connections;

/// <summary>
/// <see cref="IConnection.Input"/> is an <see cref="IConnectionInput"/> through every wrapper: a policy composed over a
/// simulated connection passes its consumer's demand down, so when the consumer stops taking bytes the peer is paused
/// by the receive window, with what is in flight bounded, and every byte arrives in order once it takes them again.
/// </summary>
public sealed class ConnectionInputSpecs
{
    private const int Sent = 1024 * 1024;

    public static TheoryData<string> Wrappers => ["none", "idle timeout", "traffic log", "throttle", "all three"];

    [Theory]
    [MemberData(nameof(Wrappers))]
    public void WrappedInput_ConsumerStopsTakingBytes_PausesThePeerWithinTheWindowThenDeliversEveryByteInOrder(string wrapper)
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler, seed: 7);
        IConnection? server = null;
        var client = network.ConnectTo(accepted => server = Wrap(accepted, wrapper, scheduler));
        var sink = new FakeOutput();
        sink.SetWritable(false); // the consumer takes nothing
        using var pipe = server!.Input.WriteTo(sink);
        var data = new byte[Sent];
        for (int i = 0; i < data.Length; i++)
            data[i] = (byte)(i % 251);

        client.Output.OnNext(data);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks); // long enough for everything to stall, short of the idle timeout

        Assert.Empty(sink.Writes);
        // Bounded: beyond the receive window only a wrapper's documented read-ahead (the throttle's 64 KiB) is held.
        Assert.True(client.Output.PendingBytes >= Sent - network.ReceiveWindow - (64 * 1024), $"the peer still has {client.Output.PendingBytes} bytes to send");

        sink.SetWritable(true);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);

        Assert.Equal(data, sink.Writes.SelectMany(w => w).ToArray());
        Assert.Equal(0, client.Output.PendingBytes);
    }

    private static IConnection Wrap(IConnection connection, string wrapper, IScheduler scheduler) => wrapper switch
    {
        "none" => connection,
        "idle timeout" => connection.IdleTimeout(TimeSpan.FromHours(1), scheduler),
        "traffic log" => connection.LogTraffic(NullLogger.Instance),
        "throttle" => connection.Throttle(1_000_000_000, 1_000_000_000, scheduler),
        _ => connection.Throttle(1_000_000_000, 1_000_000_000, scheduler).LogTraffic(NullLogger.Instance).IdleTimeout(TimeSpan.FromHours(1), scheduler),
    };
}
