using System.IO.Compression;
using System.Net;
using RxNet.Http.Specs.Server;

namespace RxNet.Http.Specs.Client.Interop;

/// <summary><see cref="HttpClient"/> against the interop servers, through .NET's own SocketsHttpHandler (the baseline:
/// if it fails there, the fixture is wrong, not RxNet) and through <see cref="RxNetHttpHandler"/> over an
/// <see cref="HttpAgent"/>: keep-alive reuse counted by the server, framings, bodiless answers, a connection the server
/// closed, redirects left to the caller, gzip, and a reset mid-body as each handler reports it.</summary>
[Trait("Category", "Integration")]
[Collection(HttpInteropSpecs.Collection)]
public sealed class InteropServerSpecs
{
    [Theory]
    [MemberData(nameof(InteropServers.NamesAndHandlers), MemberType = typeof(InteropServers))]
    public async Task HttpClient_LengthThenChunkedOverKeepAlive_CountsOneServerConnection(string name, string handler)
    {
        using var server = await InteropServers.StartAsync(name);
        using var http = new InteropHttpClient(handler);
        var client = http.Client;

        var first = await client.GetAsync(server.Url(InteropRoutes.Length), TestContext.Current.CancellationToken);
        var second = await client.GetAsync(server.Url(InteropRoutes.Chunked), TestContext.Current.CancellationToken);

        Assert.Equal(InteropRoutes.Body, await first.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(InteropRoutes.Body.Length, first.Content.Headers.ContentLength);
        Assert.Equal(InteropRoutes.Body, await second.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.True(second.Headers.TransferEncodingChunked);
        Assert.Equal(first.Headers.GetValues("X-Connection"), second.Headers.GetValues("X-Connection"));
        Assert.Equal(1, await server.ConnectionsAcceptedAsync());
    }

    [Theory]
    [MemberData(nameof(InteropServers.NamesAndHandlers), MemberType = typeof(InteropServers))]
    public async Task HttpClient_ServerClosedTheConnectionWithoutSayingSo_NextGetGoesOverANewOne(string name, string handler)
    {
        using var server = await InteropServers.StartAsync(name);
        using var http = new InteropHttpClient(handler);
        var client = http.Client;

        var closing = await client.GetAsync(server.Url(InteropRoutes.Close), TestContext.Current.CancellationToken);
        await closing.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        // The closed connection is either seen closed before the GET, or the GET meets it dead before any response
        // byte and is retried once on a fresh one (both handlers retry an idempotent request so): a new connection.
        var next = await client.GetAsync(server.Url(InteropRoutes.Length), TestContext.Current.CancellationToken);

        Assert.NotEqual(closing.Headers.GetValues("X-Connection").Single(), next.Headers.GetValues("X-Connection").Single());
        // twisted.web and Kestrel close silently; nginx says so (a silent close after its timeout would race the next GET).
        Assert.Equal(name == "nginx" ? true : null, closing.Headers.ConnectionClose);
    }

    [Theory]
    [MemberData(nameof(InteropServers.NamesAndHandlers), MemberType = typeof(InteropServers))]
    public async Task HttpClient_HeadEmptyAndConditionalGet_HaveNoBodiesOnOneConnection(string name, string handler)
    {
        using var server = await InteropServers.StartAsync(name);
        using var http = new InteropHttpClient(handler);
        var client = http.Client;

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, server.Url(InteropRoutes.Length)), TestContext.Current.CancellationToken);
        var empty = await client.GetAsync(server.Url(InteropRoutes.Empty), TestContext.Current.CancellationToken);
        var tagged = await client.GetAsync(server.Url(InteropRoutes.ETag), TestContext.Current.CancellationToken);
        var conditional = new HttpRequestMessage(HttpMethod.Get, server.Url(InteropRoutes.ETag));
        conditional.Headers.IfNoneMatch.Add(tagged.Headers.ETag!);
        var notModified = await client.SendAsync(conditional, TestContext.Current.CancellationToken);

        Assert.Equal((HttpStatusCode.OK, InteropRoutes.Body.Length, 0), (head.StatusCode, (int?)head.Content.Headers.ContentLength, (await head.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length));
        Assert.Equal((HttpStatusCode.NoContent, 0), (empty.StatusCode, (await empty.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length));
        Assert.Equal((HttpStatusCode.NotModified, 0), (notModified.StatusCode, (await notModified.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length));
        Assert.Equal(1, await server.ConnectionsAcceptedAsync());
    }

    [Theory]
    [MemberData(nameof(InteropServers.NamesAndHandlers), MemberType = typeof(InteropServers))]
    public async Task HttpClient_RedirectAndGzip_ComeBackUndecodedAndUnfollowed(string name, string handler)
    {
        using var server = await InteropServers.StartAsync(name);
        using var http = new InteropHttpClient(handler);
        var client = http.Client;
        var gzipRequest = new HttpRequestMessage(HttpMethod.Get, server.Url(InteropRoutes.Gzip));
        gzipRequest.Headers.AcceptEncoding.ParseAdd("gzip");

        var redirect = await client.GetAsync(server.Url(InteropRoutes.Redirect), TestContext.Current.CancellationToken);
        var gzip = await client.SendAsync(gzipRequest, TestContext.Current.CancellationToken);
        using var decoded = new GZipStream(await gzip.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken), CompressionMode.Decompress);
        using var body = new MemoryStream();
        await decoded.CopyToAsync(body, TestContext.Current.CancellationToken);

        Assert.Contains((int)redirect.StatusCode, new[] { 301, 302 });
        Assert.Equal(server.Url(InteropRoutes.Length), new Uri(server.Url(InteropRoutes.Redirect), redirect.Headers.Location!));
        Assert.Equal("gzip", gzip.Content.Headers.ContentEncoding.Single());
        Assert.Equal(InteropRoutes.Body, body.ToArray());
    }

    [Theory]
    [MemberData(nameof(InteropServers.ResettingAndHandlers), MemberType = typeof(InteropServers))]
    public async Task HttpClient_ResetMidBody_ReadFailsAfterTheBytesThatCame(string name, string handler)
    {
        using var server = await InteropServers.StartAsync(name);
        using var http = new InteropHttpClient(handler);
        var client = http.Client;

        var response = await client.GetAsync(server.Url(InteropRoutes.Reset), HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        var read = new byte[100_000];
        int total = 0;
        var error = await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            while (true)
                total += await stream.ReadAsync(read.AsMemory(total), TestContext.Current.CancellationToken) is var n && n > 0 ? n : throw new InvalidOperationException("clean end");
        });

        Assert.Equal(1000, total);
        if (http.IsRxNet)
            Assert.IsType<ConnectionResetException>(Assert.IsType<HttpIOException>(error).InnerException);
        else
            Assert.Equal(System.Net.Sockets.SocketError.ConnectionReset, Assert.IsType<System.Net.Sockets.SocketException>(error.InnerException).SocketErrorCode);
    }
}
