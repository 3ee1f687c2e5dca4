using System.Reactive.Linq;

namespace RxNet.Http.Specs.Client.Handler;

/// <summary>
/// Every way an exchange through <see cref="RxNetHttpHandler"/> can fail, as <c>HttpClient</c> reports it in each
/// completion mode, with the RxNet error inside (over a <see cref="FakeAgent"/>).
/// </summary>
public sealed class RxNetHttpHandlerErrorSpecs
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, HttpRequestError> HeadFailures => new()
    {
        { "refused", HttpRequestError.ConnectionError },
        { "reset", HttpRequestError.ConnectionError },
        { "bad response", HttpRequestError.InvalidResponse },
        { "headers too large", HttpRequestError.ConfigurationLimitExceeded },
        { "something else", HttpRequestError.Unknown },
    };

    [Theory]
    [MemberData(nameof(HeadFailures))]
    public async Task GetAsync_AgentFailsBeforeTheHead_ThrowsHttpRequestExceptionOfItsKindWithTheRxNetErrorInside(string failure, HttpRequestError kind)
    {
        Exception error = ErrorFor(failure);
        using var client = new HttpClient(new RxNetHttpHandler(new FakeAgent(_ => Observable.Throw<HttpResponse>(error))));

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://example.com/", Token));

        Assert.Same(error, thrown.InnerException);
        Assert.Equal(kind, thrown.HttpRequestError);
        Assert.Contains(error.Message, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_AgentHeadersTimeout_ThrowsTaskCanceledAroundATimeoutAroundTheRxNetError()
    {
        var error = new HttpProtocolException(HttpProtocolError.HeadersTimeout, 504, "No response head within 30 s.");
        using var client = new HttpClient(new RxNetHttpHandler(new FakeAgent(_ => Observable.Throw<HttpResponse>(error))));

        var thrown = await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetAsync("http://example.com/", Token));

        var timeout = Assert.IsType<TimeoutException>(thrown.InnerException);
        Assert.Same(error, timeout.InnerException);
    }

    [Fact]
    public async Task GetAsync_ConnectTimeout_ThrowsTaskCanceledAroundTheTransportsTimeout()
    {
        var error = new TimeoutException("No connection within 10 s.");
        using var client = new HttpClient(new RxNetHttpHandler(new FakeAgent(_ => Observable.Throw<HttpResponse>(error))));

        var thrown = await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetAsync("http://example.com/", Token));

        Assert.Same(error, Assert.IsType<TimeoutException>(thrown.InnerException).InnerException);
    }

    [Fact]
    public async Task GetAsync_AgentDisposed_ThrowsObjectDisposedAsItIs()
    {
        var error = new ObjectDisposedException("HttpAgent");
        using var client = new HttpClient(new RxNetHttpHandler(new FakeAgent(_ => Observable.Throw<HttpResponse>(error))));

        var thrown = await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetAsync("http://example.com/", Token));

        Assert.Same(error, thrown);
    }

    [Fact]
    public async Task GetAsync_AgentCompletesWithoutAResponse_ThrowsInvalidResponse()
    {
        using var client = new HttpClient(new RxNetHttpHandler(new FakeAgent(_ => Observable.Empty<HttpResponse>())));

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://example.com/", Token));

        Assert.Equal(HttpRequestError.InvalidResponse, thrown.HttpRequestError);
    }

    [Fact]
    public async Task GetAsync_ResetMidBody_ThrowsHttpRequestExceptionResponseEndedWithTheResetInside()
    {
        var reset = new ConnectionResetException();
        var body = new PausableBody(100_000) { FailAfter = 20_000, EndWith = reset };
        using var client = new HttpClient(new RxNetHttpHandler(FakeAgent.Answering(new HttpResponse(200) { Body = body })));

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://example.com/", Token));

        Assert.Same(reset, thrown.InnerException);
        Assert.Equal(HttpRequestError.ResponseEnded, thrown.HttpRequestError);
    }

    [Fact]
    public async Task ReadingAResponseHeadersReadStream_ResetMidBody_ThrowsHttpIOExceptionWithTheResetInside()
    {
        var reset = new ConnectionResetException();
        var body = new PausableBody(100_000) { FailAfter = 20_000, EndWith = reset };
        using var client = new HttpClient(new RxNetHttpHandler(FakeAgent.Answering(new HttpResponse(200) { Body = body })));
        using var response = await client.GetAsync("http://example.com/", HttpCompletionOption.ResponseHeadersRead, Token);
        var stream = await response.Content.ReadAsStreamAsync(Token);

        var thrown = await Assert.ThrowsAsync<HttpIOException>(() => stream.CopyToAsync(Stream.Null, Token));

        Assert.Same(reset, thrown.InnerException);
        Assert.Equal(HttpRequestError.ResponseEnded, thrown.HttpRequestError);
    }

    [Fact]
    public async Task GetStringAsync_BodyFailsMidWay_ThrowsHttpRequestExceptionAroundTheStreamsHttpIOException()
    {
        var tooBig = new HttpProtocolException(HttpProtocolError.BodyTooLarge, 502, "The body is larger than 16384 bytes.");
        var body = new PausableBody(100_000) { FailAfter = 16_384, EndWith = tooBig };
        using var client = new HttpClient(new RxNetHttpHandler(FakeAgent.Answering(new HttpResponse(200) { Body = body })));

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("http://example.com/", Token));

        // HttpClient reads GetStringAsync's body as a stream and wraps the stream's failure, as it does with any handler.
        var io = Assert.IsType<HttpIOException>(thrown.InnerException);
        Assert.Same(tooBig, io.InnerException);
        Assert.Equal(HttpRequestError.ConfigurationLimitExceeded, io.HttpRequestError);
    }

    [Fact]
    public async Task SendAsync_CanceledBeforeTheHead_ThrowsTaskCanceledForThatTokenAndDisposesTheExchange()
    {
        var agent = new FakeAgent(_ => Observable.Never<HttpResponse>());
        using var client = new HttpClient(new RxNetHttpHandler(agent));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var sending = client.GetAsync("http://example.com/", cts.Token);
        Assert.False(sending.IsCompleted);
        cts.Cancel();

        var thrown = await Assert.ThrowsAsync<TaskCanceledException>(() => sending);
        Assert.Equal(cts.Token, thrown.CancellationToken);
        Assert.Equal(1, agent.Abandoned);
    }

    [Fact]
    public async Task SendAsync_TokenAlreadyCanceled_NeverReachesTheAgent()
    {
        var agent = FakeAgent.Answering(new HttpResponse(200));
        using var invoker = new HttpMessageInvoker(new RxNetHttpHandler(agent));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://example.com/");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invoker.SendAsync(request, new CancellationToken(canceled: true)));

        Assert.Empty(agent.Sent);
    }

    [Fact]
    public async Task SendAsync_CanceledAfterTheHead_LeavesTheBodyAlone()
    {
        var body = new PausableBody(1000);
        var agent = FakeAgent.Answering(new HttpResponse(200) { Body = body });
        using var client = new HttpClient(new RxNetHttpHandler(agent));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        using var response = await client.GetAsync("http://example.com/", HttpCompletionOption.ResponseHeadersRead, cts.Token);

        cts.Cancel();

        Assert.False(body.Disposed);
        Assert.Equal(1000, (await response.Content.ReadAsByteArrayAsync(Token)).Length);
    }

    [Fact]
    public async Task SendAsync_FieldTheWireCannotCarry_ThrowsHttpRequestExceptionBeforeTheAgent()
    {
        var agent = FakeAgent.Answering(new HttpResponse(200));
        using var invoker = new HttpMessageInvoker(new RxNetHttpHandler(agent));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://example.com/");
        request.Headers.TryAddWithoutValidation("X-Bad", "a\u0001b");

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(request, Token));

        Assert.IsType<ArgumentException>(thrown.InnerException, exactMatch: false);
        Assert.Empty(agent.Sent);
    }

    private static Exception ErrorFor(string failure) => failure switch
    {
        "refused" => new ConnectionRefusedException("example.com:80 refused the connection."),
        "reset" => new ConnectionResetException(),
        "bad response" => new HttpProtocolException(HttpProtocolError.InvalidHeader, 502, "A field line of the response is malformed."),
        "headers too large" => new HttpProtocolException(HttpProtocolError.HeadersTooLarge, 502, "The response head is larger than 32768 bytes."),
        _ => new InvalidOperationException("something else"),
    };
}
