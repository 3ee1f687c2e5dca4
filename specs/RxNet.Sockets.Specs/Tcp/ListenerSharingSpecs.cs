using System.Net;
using System.Reactive.Linq;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>
/// One <c>Listen()</c> of a socket endpoint has one subscriber at a time (ADR 0025): a second concurrent query is
/// refused with a message that says to <c>Publish()</c> instead of binding another port, <c>Publish().RefCount()</c>
/// shares one port among several queries, and resubscribing after a dispose binds again.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ListenerSharingSpecs
{
    [Fact]
    public async Task Listen_TcpPortZeroSubscribedTwice_RefusesTheSecondSayingToPublish()
    {
        var listener = new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0)).Listen();
        using var first = listener.Subscribe(c => c.Dispose());

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => listener.FirstWithin());

        Assert.Contains("Publish()", refused.Message, StringComparison.Ordinal);
        Assert.Contains("tcp:", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listen_TcpPublishedToTwoQueries_BindsOnePortAndBothSeeTheConnection()
    {
        var ports = new List<int>();
        var listener = new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0))
            .Listen(bound => ports.Add(((IPEndPoint)bound).Port))
            .Publish().RefCount();
        var first = listener.FirstWithin();
        var second = listener.FirstWithin();

        using var client = await new TcpClientEndpoint(IPAddress.Loopback.ToString(), Assert.Single(ports)).Connect().FirstWithin();
        using var one = await first;
        var two = await second;

        Assert.Same(one, two);
        Assert.Single(ports);
    }

    [Fact]
    public async Task Listen_TcpSubscribedAgainAfterDispose_BindsAgain()
    {
        var ports = new List<int>();
        var listener = new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0)).Listen(bound => ports.Add(((IPEndPoint)bound).Port));
        listener.Subscribe(c => c.Dispose()).Dispose();

        var accepted = listener.FirstWithin();                                  // subscribes again
        using var client = await new TcpClientEndpoint(IPAddress.Loopback.ToString(), ports[^1]).Connect().FirstWithin();
        using var connection = await accepted;

        Assert.Equal(2, ports.Count);
    }

    [Fact]
    public async Task Listen_UnixSubscribedTwice_RefusesTheSecondSayingToPublish()
    {
        Assert.SkipUnless(System.Net.Sockets.Socket.OSSupportsUnixDomainSockets, "needs Unix domain sockets");
        string folder = Directory.CreateTempSubdirectory("rxnet-share-").FullName;
        try
        {
            var listener = new UnixServerEndpoint(Path.Combine(folder, "shared.sock")).Listen();
            using var first = listener.Subscribe(c => c.Dispose());

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => listener.FirstWithin());

            Assert.Contains("Publish()", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
