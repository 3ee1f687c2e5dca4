using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Http.Specs.Server;
using RxNet.Sockets;

namespace RxNet.Http.Specs.Client.Handler;

/// <summary>The synchronous <see cref="HttpClient.Send(HttpRequestMessage)"/> through <see cref="RxNetHttpHandler"/>:
/// it works where something else delivers the response, and is refused where the wait could never end.</summary>
public sealed class RxNetHttpHandlerSyncSpecs
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string ReadSynchronously(HttpContent content)
    {
        using var reader = new StreamReader(content.ReadAsStream(Token), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Send_OverARealLoopbackSocket_ReturnsTheBody()
    {
        using var server = new LoopbackHttpServer(Bound);
        using var reactor = new SocketReactor();
        using var http = new HttpClient(new RxNetHttpHandler(reactor));

        // On a thread-pool thread, so a broken wait fails the bound instead of hanging the run.
        var (buffered, streamed, echoed) = await Task.Run(() =>
        {
            using var get = http.Send(new HttpRequestMessage(HttpMethod.Get, server.Url("/a")), Token); // content buffered
            using var stream = http.Send(new HttpRequestMessage(HttpMethod.Get, server.Url("/b")), HttpCompletionOption.ResponseHeadersRead, Token);
            using var post = http.Send(new HttpRequestMessage(HttpMethod.Post, server.Url("/echo")) { Content = new StringContent(new string('z', 100_000)) }, Token);
            return (ReadSynchronously(get.Content), ReadSynchronously(stream.Content), ReadSynchronously(post.Content));
        }, Token).WaitAsync(Bound, Token);

        Assert.Equal("hello /a", buffered);
        Assert.Equal("hello /b", streamed);
        Assert.Equal(new string('z', 100_000), echoed);
    }

    [Fact]
    public void Send_OverASimulatedHost_IsRefusedBeforeAnythingIsSent()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        int accepted = 0;
        var server = new HttpServer(_ => Observable.Return(HttpResponse.Text("x")), scheduler);
        using var listening = server.Listen(network.Host("server").Reactor.ServerEndpoint("tcp:80").Listen().Do(_ => accepted++));
        using var http = new HttpClient(new RxNetHttpHandler(network.Host("client").Reactor));

        var refused = Assert.Throws<InvalidOperationException>(() => http.Send(new HttpRequestMessage(HttpMethod.Get, "http://server/"), Token));

        Assert.Contains("virtual time", refused.Message, StringComparison.Ordinal);
        Assert.Contains("SendAsync", refused.Message, StringComparison.Ordinal);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);
        Assert.Equal(0, accepted);
    }

    [Fact]
    public void Send_ThroughAnAgentOnATestSchedulerItself_IsRefused()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        using var agent = new HttpAgent(network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=80"), scheduler);
        using var http = new HttpClient(new RxNetHttpHandler(agent));

        var refused = Assert.Throws<InvalidOperationException>(() => http.Send(new HttpRequestMessage(HttpMethod.Get, "http://server/"), Token));

        Assert.Contains("virtual time", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, agent.PoolCount);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Send_OnTheReactorsEventLoopThread_IsRefused()
    {
        using var server = new LoopbackHttpServer(Bound);
        using var reactor = new SocketReactor();
        using var http = new HttpClient(new RxNetHttpHandler(reactor));
        // The loop runs its work in order: once this has run, so has what the handler scheduled when it was made.
        var turn = new TaskCompletionSource();
        reactor.Scheduler.Schedule(turn.SetResult);
        await turn.Task.WaitAsync(Bound, Token);

        var outcome = new TaskCompletionSource<Exception?>();
        reactor.Scheduler.Schedule(() =>
        {
            try
            {
                http.Send(new HttpRequestMessage(HttpMethod.Get, server.Url("/a")), Token).Dispose();
                outcome.SetResult(null);
            }
            catch (InvalidOperationException e)
            {
                outcome.SetResult(e);
            }
        });

        var refused = Assert.IsType<InvalidOperationException>(await outcome.Task.WaitAsync(Bound, Token));
        Assert.Contains("event-loop thread", refused.Message, StringComparison.Ordinal);
        // The same client still sends from any other thread.
        using var response = await http.GetAsync(server.Url("/b"), Token).WaitAsync(Bound, Token);
        Assert.Equal("hello /b", await response.Content.ReadAsStringAsync(Token));
    }
}
