using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using RxNet.Http.Specs.Server;
using RxNet.Sockets;

namespace RxNet.Http.Specs.Client.Interop;

/// <summary>RxNet's <see cref="HttpAgent"/> on real sockets against twisted.web, Kestrel and nginx: keep-alive reuse
/// counted by the server, both body framings, bodiless answers, a pooled connection the server closed, a reset
/// mid-body, redirects and gzip.</summary>
[Trait("Category", "Integration")]
[Collection(HttpInteropSpecs.Collection)]
public sealed class AgentInteropSpecs : IDisposable
{
    private readonly SocketReactor _reactor = new();
    private readonly HttpAgent _agent;

    public AgentInteropSpecs() => _agent = new HttpAgent(_reactor);

    public void Dispose()
    {
        _agent.Dispose();
        _reactor.Dispose();
    }

    [Theory]
    [MemberData(nameof(InteropServers.Names), MemberType = typeof(InteropServers))]
    public async Task Agent_LengthThenChunkedBody_BothReadOverOneServerConnection(string name)
    {
        using var server = await InteropServers.StartAsync(name);

        var length = await GetAsync(_agent, server.Url(InteropRoutes.Length));
        var chunked = await GetAsync(_agent, server.Url(InteropRoutes.Chunked));

        Assert.Equal((200, InteropRoutes.Body.Length), (length.Response.StatusCode, length.Response.ContentLength));
        Assert.Equal(InteropRoutes.Body, length.Body);
        Assert.Equal("chunked", chunked.Response.Headers["Transfer-Encoding"]);
        Assert.Equal(InteropRoutes.Body, chunked.Body);
        Assert.Equal(length.Response.Headers["X-Connection"], chunked.Response.Headers["X-Connection"]);
        Assert.Equal(1, await server.ConnectionsAcceptedAsync());
    }

    [Theory]
    [MemberData(nameof(InteropServers.Names), MemberType = typeof(InteropServers))]
    public async Task Agent_HeadNoContentAndNotModified_EndWithoutBodiesAndKeepTheConnection(string name)
    {
        using var server = await InteropServers.StartAsync(name);

        var head = await SendAsync(_agent, new HttpRequest("HEAD", server.Url(InteropRoutes.Length).AbsoluteUri));
        var empty = await GetAsync(_agent, server.Url(InteropRoutes.Empty));
        var tagged = await GetAsync(_agent, server.Url(InteropRoutes.ETag));
        var conditional = new HttpRequest("GET", server.Url(InteropRoutes.ETag).AbsoluteUri);
        conditional.Headers.Add("If-None-Match", tagged.Response.Headers["ETag"]!);
        var notModified = await SendAsync(_agent, conditional);

        Assert.Equal((200, InteropRoutes.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), 0),
            (head.Response.StatusCode, head.Response.Headers["Content-Length"], head.Body.Length));
        Assert.Equal((204, 0), (empty.Response.StatusCode, empty.Body.Length));
        Assert.Equal(InteropRoutes.Body, tagged.Body);
        Assert.Equal((304, 0), (notModified.Response.StatusCode, notModified.Body.Length));
        Assert.Equal(1, await server.ConnectionsAcceptedAsync());
    }

    [Theory]
    [MemberData(nameof(InteropServers.Names), MemberType = typeof(InteropServers))]
    public async Task Agent_ServerClosedThePooledConnection_NextGetSucceedsOnANewOne(string name)
    {
        using var server = await InteropServers.StartAsync(name);

        var closed = await GetAsync(_agent, server.Url(InteropRoutes.Close));
        var next = await GetAsync(_agent, server.Url(InteropRoutes.Length));

        Assert.Equal(InteropRoutes.Body, closed.Body);
        Assert.Equal(200, next.Response.StatusCode);
        Assert.Equal(InteropRoutes.Body, next.Body);
        Assert.NotEqual(closed.Response.Headers["X-Connection"], next.Response.Headers["X-Connection"]);
        Assert.Equal(2, await server.ConnectionsAcceptedAsync());
    }

    [Theory]
    [MemberData(nameof(InteropServers.Resetting), MemberType = typeof(InteropServers))]
    public async Task Agent_ServerResetsMidBody_TheBodyFailsWithConnectionReset(string name)
    {
        using var server = await InteropServers.StartAsync(name);

        var response = await _agent.Get(server.Url(InteropRoutes.Reset).AbsoluteUri).ToTask(TestContext.Current.CancellationToken);
        long received = 0;
        var error = await Record.ExceptionAsync(() => response.Body!.ForEachAsync(chunk => received += chunk.Length, TestContext.Current.CancellationToken));

        Assert.Equal((200, 100_000L), (response.StatusCode, response.ContentLength));
        Assert.IsType<ConnectionResetException>(error);
        Assert.Equal(1000, received);
    }

    [Theory]
    [MemberData(nameof(InteropServers.Names), MemberType = typeof(InteropServers))]
    public async Task Agent_FollowRedirects_EndsAtTheTargetWithItsBody(string name)
    {
        using var server = await InteropServers.StartAsync(name);

        var followed = await GetAsync(_agent.FollowRedirects(), server.Url(InteropRoutes.Redirect));

        Assert.Equal(200, followed.Response.StatusCode);
        Assert.Equal(InteropRoutes.Body, followed.Body);
        Assert.Equal(server.Url(InteropRoutes.Length).AbsoluteUri, followed.Response.Request!.Target);
    }

    [Theory]
    [MemberData(nameof(InteropServers.Names), MemberType = typeof(InteropServers))]
    public async Task Agent_DecodeContent_GzipBodyArrivesDecoded(string name)
    {
        using var server = await InteropServers.StartAsync(name);

        var decoded = await GetAsync(_agent.DecodeContent(), server.Url(InteropRoutes.Gzip));

        Assert.Equal(200, decoded.Response.StatusCode);
        Assert.Equal(InteropRoutes.Body, decoded.Body);
        Assert.False(decoded.Response.Headers.Contains("Content-Encoding"));
    }

    private static Task<(HttpResponse Response, byte[] Body)> GetAsync(IHttpAgent agent, Uri url) =>
        SendAsync(agent, new HttpRequest("GET", url.AbsoluteUri));

    /// <summary>The response and its whole body, within the spec's bound.</summary>
    private static async Task<(HttpResponse Response, byte[] Body)> SendAsync(IHttpAgent agent, HttpRequest request)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(PeerRun.Bound);
        var response = await agent.Send(request).ToTask(bound.Token);
        return (response, await response.ReadBodyAsync(cancellationToken: bound.Token));
    }
}
