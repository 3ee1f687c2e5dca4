using System.Net.Sockets;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>A large stream through an RxNet echo server comes back byte for byte.</summary>
[Trait("Category", "Integration")]
public sealed class BulkEchoSpecs
{
    private const long HundredMiB = 100L * 1024 * 1024;

    [Theory]
    [InlineData("Subscribe")]
    [InlineData("WriteTo")]
    public async Task Echo_100MiBInRandomWriteSizes_ArrivesIntact(string wiring)
    {
        using var server = await LoopbackServer.StartAsync(c =>
        {
            if (wiring == "WriteTo")
                c.Input.WriteTo(c.Output);
            else
                c.Input.Subscribe(c.Output);
        });
        using var client = await Peer.ConnectRawAsync(server.EndPoint);

        var sending = client.SendRandomAsync(HundredMiB, seed: 20240611, maxWrite: 64 * 1024);
        var receiving = client.ReceiveDigestAsync();
        await Task.WhenAll(sending, receiving).Within(Bounded.Long);

        var sent = await sending;
        var received = await receiving;
        Assert.Equal(HundredMiB, sent.Length);
        Assert.Equal(sent, received);
        var closed = await (await server.NextAsync()).ClosedWithin();
        Assert.True(closed.IsClean, $"the server side closed with {closed}");
    }
}
