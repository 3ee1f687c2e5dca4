using System.Net;
using System.Net.Http.Headers;
using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text;

namespace RxNet.Http.Specs.Client.Handler;

/// <summary>
/// <see cref="RxNetHttpHandler"/> over a <see cref="FakeAgent"/>: how an <see cref="HttpRequestMessage"/> becomes an
/// <see cref="HttpRequest"/> and an <see cref="HttpResponse"/> an <see cref="HttpResponseMessage"/>, and how both
/// bodies stream with back-pressure. Everything completes synchronously here: the fake answers at once.
/// </summary>
public sealed class RxNetHttpHandlerSpecs
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_Get_SendsMethodAbsoluteTargetWithoutFragmentVersionAndFields()
    {
        var agent = FakeAgent.Answering(new HttpResponse(204));
        using var client = new HttpClient(new RxNetHttpHandler(agent));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://example.com:8080/a%20b?q=1#fragment");
        request.Headers.UserAgent.ParseAdd("spec/1.0 (virtual)");
        request.Headers.Accept.ParseAdd("text/plain");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Add("X-Trace", "abc");

        using var response = await client.SendAsync(request, Token);

        var sent = agent.Request;
        Assert.Equal("GET", sent.Method);
        Assert.Equal("http://example.com:8080/a%20b?q=1", sent.Target);
        Assert.Equal(HttpVersion.Version11, sent.Version);
        Assert.Equal("spec/1.0 (virtual)", sent.Headers["User-Agent"]);
        Assert.Equal("text/plain, application/json", sent.Headers["Accept"]);
        Assert.Equal("abc", sent.Headers["X-Trace"]);
        Assert.Null(sent.ContentLength);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task SendAsync_StringContent_SendsContentFieldsAndItsLengthButLeavesFramingToTheAgent()
    {
        byte[]? body = null;
        var agent = new FakeAgent(request => request.Body.ReadAllBytes().Select(bytes =>
        {
            body = bytes;
            return new HttpResponse(200);
        }));
        using var client = new HttpClient(new RxNetHttpHandler(agent));
        using var content = new StringContent("hello", Encoding.UTF8, "text/plain");
        content.Headers.Add("Content-Language", "en");

        using var response = await client.PostAsync("http://example.com/upload", content, Token);

        var sent = agent.Request;
        Assert.Equal("POST", sent.Method);
        Assert.Equal("text/plain; charset=utf-8", sent.Headers["Content-Type"]);
        Assert.Equal("en", sent.Headers["Content-Language"]);
        Assert.Equal(5, sent.ContentLength);
        Assert.False(sent.Headers.Contains("Content-Length"));
        Assert.False(sent.Headers.Contains("Transfer-Encoding"));
        Assert.Equal("hello"u8.ToArray(), body);
    }

    [Fact]
    public async Task SendAsync_PostWithoutContent_SaysLengthZeroAsSocketsHttpHandlerDoes()
    {
        var agent = FakeAgent.Answering(new HttpResponse(200));
        using var client = new HttpClient(new RxNetHttpHandler(agent));

        using var response = await client.PostAsync("http://example.com/", null, Token);

        Assert.Equal(0, agent.Request.ContentLength);
    }

    [Fact]
    public void SendAsync_ContentOfUnknownLength_StreamsInChunksWhileDemandedAndWaitsWhileNot()
    {
        var demand = new BehaviorSubject<bool>(true);
        var received = new List<byte[]>();
        bool completed = false;
        var agent = new FakeAgent(request =>
        {
            var body = Assert.IsType<IPausableObservable<ReadOnlyMemory<byte>>>(request.Body, exactMatch: false);
            body.Subscribe(Observer.Create<ReadOnlyMemory<byte>>(
                chunk =>
                {
                    received.Add(chunk.ToArray());
                    if (received.Count == 2)
                        demand.OnNext(false);
                },
                error => Assert.Fail(error.ToString()),
                () => completed = true), demand);
            return Observable.Never<HttpResponse>();
        });
        using var invoker = new HttpMessageInvoker(new RxNetHttpHandler(agent));
        byte[] upload = [.. Enumerable.Range(0, 256 * 1024).Select(i => PausableBody.At(i))];
        using var request = new HttpRequestMessage(HttpMethod.Put, "http://example.com/file")
        {
            Content = new StreamContent(new ForwardOnlyStream(upload), 16 * 1024),
        };

        _ = invoker.SendAsync(request, Token);

        Assert.Null(agent.Request.ContentLength);   // unknown: the agent sends it chunked
        Assert.Equal(2, received.Count);            // the content waits while the agent's demand is false
        Assert.All(received, chunk => Assert.Equal(16 * 1024, chunk.Length));
        demand.OnNext(true);
        Assert.True(completed);
        Assert.Equal(upload, received.SelectMany(c => c).ToArray());
    }

    [Fact]
    public async Task SendAsync_Http2RequestWithRequestVersionOrLower_IsSentAsHttp11()
    {
        var agent = FakeAgent.Answering(new HttpResponse(200));
        using var invoker = new HttpMessageInvoker(new RxNetHttpHandler(agent));
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.com/")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        using var response = await invoker.SendAsync(request, Token);

        Assert.Equal(HttpVersion.Version11, agent.Request.Version);
    }

    [Fact]
    public async Task SendAsync_Http2Exact_FailsWithVersionNegotiationError()
    {
        var agent = FakeAgent.Answering(new HttpResponse(200));
        using var invoker = new HttpMessageInvoker(new RxNetHttpHandler(agent));
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.com/") { Version = HttpVersion.Version20 };
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(request, Token));

        Assert.Equal(HttpRequestError.VersionNegotiationError, error.HttpRequestError);
        Assert.Empty(agent.Sent);
    }

    [Fact]
    public async Task SendAsync_RelativeOrFtpUri_IsRefusedBeforeTheAgent()
    {
        var agent = FakeAgent.Answering(new HttpResponse(200));
        using var invoker = new HttpMessageInvoker(new RxNetHttpHandler(agent));

        await Assert.ThrowsAsync<InvalidOperationException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/relative"), Token));
        await Assert.ThrowsAsync<NotSupportedException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "ftp://example.com/"), Token));
        Assert.Empty(agent.Sent);
    }

    [Fact]
    public async Task SendAsync_Response_CopiesStatusReasonVersionAndSplitsResponseAndContentFields()
    {
        var answer = new HttpResponse(200)
        {
            ReasonPhrase = "Fine",
            Version = HttpVersion.Version10,
            Body = Observable.Return<ReadOnlyMemory<byte>>("hello"u8.ToArray()),
        };
        answer.Headers.Add("Server", "RxNet").Add("Content-Type", "text/plain; charset=utf-8").Add("Content-Length", "5")
            .Add("Set-Cookie", "a=1").Add("Set-Cookie", "b=2").Add("X-Custom", "x");
        using var client = new HttpClient(new RxNetHttpHandler(FakeAgent.Answering(answer)));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://example.com/");

        using var response = await client.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Fine", response.ReasonPhrase);
        Assert.Equal(HttpVersion.Version10, response.Version);
        Assert.Same(request, response.RequestMessage);
        Assert.Equal("RxNet", response.Headers.Server.ToString());
        Assert.Equal(["a=1", "b=2"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal(["x"], response.Headers.GetValues("X-Custom"));
        Assert.Equal(new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" }, response.Content.Headers.ContentType);
        Assert.Equal(5, response.Content.Headers.ContentLength);
        Assert.False(response.Headers.NonValidated.Contains("Content-Type"));
        Assert.Equal("hello", await response.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task SendAsync_ChunkedResponseWithTrailers_PutsThemInTrailingHeadersOnceTheBodyIsRead()
    {
        var answer = new HttpResponse(200);
        answer.Body = Observable.Create<ReadOnlyMemory<byte>>(observer =>
        {
            observer.OnNext("body"u8.ToArray());
            answer.Trailers.Add("Checksum", "abc");   // a client's chunked decoder fills them before completing
            observer.OnCompleted();
            return () => { };
        });
        using var client = new HttpClient(new RxNetHttpHandler(FakeAgent.Answering(answer)));

        using var response = await client.GetAsync("http://example.com/", HttpCompletionOption.ResponseHeadersRead, Token);
        Assert.Empty(response.TrailingHeaders);
        string body = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal("body", body);
        Assert.Equal(["abc"], response.TrailingHeaders.GetValues("Checksum"));
    }

    [Fact]
    public async Task ResponseStream_ReaderDoesNotRead_BodyIsNotSubscribedThenPausedAboveTheBound()
    {
        var body = new PausableBody(1024 * 1024);
        var agent = FakeAgent.Answering(new HttpResponse(200) { Body = body });
        using var client = new HttpClient(new RxNetHttpHandler(agent));

        using var response = await client.GetAsync("http://example.com/big", HttpCompletionOption.ResponseHeadersRead, Token);
        Assert.Equal(0, body.Subscriptions);                // nothing read until the first read
        var stream = await response.Content.ReadAsStreamAsync(Token);
        var first = new byte[1];
        Assert.Equal(1, await stream.ReadAsync(first, Token));

        Assert.Equal(72 * 1024, body.Emitted);             // 64 KiB held, plus the chunk that crossed the bound
        Assert.Equal([true, false], body.Demands);
    }

    [Fact]
    public async Task ResponseStream_ReadToTheEnd_HoldsAtMostTheBoundAndGetsEveryByteInOrder()
    {
        var body = new PausableBody(1024 * 1024);
        using var client = new HttpClient(new RxNetHttpHandler(FakeAgent.Answering(new HttpResponse(200) { Body = body })));
        using var response = await client.GetAsync("http://example.com/big", HttpCompletionOption.ResponseHeadersRead, Token);
        var stream = await response.Content.ReadAsStreamAsync(Token);

        var buffer = new byte[5000];
        int total = 0;
        int read;
        int mostHeld = 0;
        while ((read = await stream.ReadAsync(buffer, Token)) > 0)
        {
            for (int i = 0; i < read; i++)
                Assert.Equal(PausableBody.At(total + i), buffer[i]);
            total += read;
            mostHeld = Math.Max(mostHeld, body.Emitted - total);
        }

        Assert.Equal(1024 * 1024, total);
        Assert.InRange(mostHeld, 32 * 1024, 64 * 1024 + body.ChunkSize);
        Assert.True(body.Demands.Count(d => !d) > 5);       // paused and resumed all along
    }

    [Fact]
    public async Task ResponseStream_Disposed_DisposesTheBodyAndTheExchange()
    {
        var body = new PausableBody(1024 * 1024);
        var agent = FakeAgent.Answering(new HttpResponse(200) { Body = body });
        using var client = new HttpClient(new RxNetHttpHandler(agent));
        var response = await client.GetAsync("http://example.com/big", HttpCompletionOption.ResponseHeadersRead, Token);
        var stream = await response.Content.ReadAsStreamAsync(Token);
        Assert.Equal(1, await stream.ReadAsync(new byte[1], Token));

        response.Dispose();

        Assert.True(body.Disposed);                         // the body's subscription is what holds the connection
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await stream.ReadExactlyAsync(new byte[1], Token));
    }

    [Fact]
    public async Task ResponseStream_ReadCanceled_ThrowsOperationCanceledAndAbandonsTheExchange()
    {
        var body = new Subject<ReadOnlyMemory<byte>>();
        var agent = FakeAgent.Answering(new HttpResponse(200) { Body = body });
        using var client = new HttpClient(new RxNetHttpHandler(agent));
        using var response = await client.GetAsync("http://example.com/slow", HttpCompletionOption.ResponseHeadersRead, Token);
        var stream = await response.Content.ReadAsStreamAsync(Token);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var read = stream.ReadAsync(new byte[10], cts.Token).AsTask();
        Assert.False(read.IsCompleted);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        Assert.False(body.HasObservers);
    }

    /// <summary>A stream that can only be read forward, so <see cref="StreamContent"/> cannot compute its length.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
