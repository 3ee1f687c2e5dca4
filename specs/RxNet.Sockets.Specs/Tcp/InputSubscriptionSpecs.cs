using System.Reactive.Linq;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>Input is cold and unicast: one subscriber at a time, and nothing is lost between subscribers.</summary>
[Trait("Category", "Integration")]
public sealed class InputSubscriptionSpecs
{
    [Fact]
    public async Task Input_SecondConcurrentSubscriber_FailsAtOnceAndFirstKeepsWorking()
    {
        using var server = await LoopbackServer.StartAsync();
        using var peer = await Peer.ConnectRawAsync(server.EndPoint);
        using var connection = await server.NextAsync();
        var first = new InputCollector();
        using var firstSubscription = connection.Input.Subscribe(first);

        var second = new InputCollector();
        using var secondSubscription = connection.Input.Subscribe(second);

        Assert.True(second.End.IsCompleted, "the second subscriber was not failed at once");
        var error = Assert.IsType<InvalidOperationException>((await second.End.Within()).Error);
        Assert.Contains("unicast", error.Message, StringComparison.Ordinal);
        Assert.Contains("Publish", error.Message, StringComparison.Ordinal);

        await peer.SendAllAsync("still here"u8.ToArray());
        await first.WhenReceived(10);
        Assert.Equal("still here"u8.ToArray(), first.Bytes());
        Assert.False(first.End.IsCompleted);
        Assert.Equal(0, second.Chunks);
    }

    [Fact]
    public async Task Input_ResubscribedAfterUnsubscribe_GetsEveryLaterByte()
    {
        using var server = await LoopbackServer.StartAsync();
        using var peer = await Peer.ConnectRawAsync(server.EndPoint);
        using var connection = await server.NextAsync();

        var first = new InputCollector();
        var firstSubscription = connection.Input.Subscribe(first);
        await peer.SendAllAsync("before"u8.ToArray());
        await first.WhenReceived(6);
        firstSubscription.Dispose();

        // Sent while nobody listens: small enough that the kernel takes all of it without a reader,
        // and the transport, still waiting for data, may read one chunk of it before pausing.
        var whileAlone = new byte[16 * 1024];
        new Random(5).NextBytes(whileAlone);
        await peer.SendAllAsync(whileAlone).Within();
        // More, which can only get through once someone reads again.
        var more = new byte[1024 * 1024];
        new Random(6).NextBytes(more);
        var sending = peer.SendAllAsync(more);

        var second = new InputCollector();
        using var secondSubscription = connection.Input.Subscribe(second);
        await sending.Within();
        peer.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var end = await second.End.Within();

        Assert.Null(end.Error);
        Assert.Equal([.. whileAlone, .. more], end.Bytes);
        Assert.Equal("before"u8.ToArray(), first.Bytes());
        Assert.False(first.End.IsCompleted, "the first subscriber was notified after it left");
    }

    [Fact]
    public async Task Input_Published_EverySubscriberGetsEveryByte()
    {
        using var server = await LoopbackServer.StartAsync();
        using var peer = await Peer.ConnectRawAsync(server.EndPoint);
        using var connection = await server.NextAsync();
        var shared = connection.Input.Publish();
        var a = new InputCollector();
        var b = new InputCollector();
        using var subscriptionA = shared.Subscribe(a);
        using var subscriptionB = shared.Subscribe(b);
        using var connect = shared.Connect();

        var data = new byte[200 * 1024];
        new Random(9).NextBytes(data);
        await peer.SendAllAsync(data);
        peer.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        Assert.Equal(data, (await a.End.Within()).Bytes);
        Assert.Equal(data, (await b.End.Within()).Bytes);
    }
}
