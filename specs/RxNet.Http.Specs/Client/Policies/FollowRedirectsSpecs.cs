using System.Reactive.Linq;
using System.Text;

namespace RxNet.Http.Specs.Client.Policies;

public sealed class FollowRedirectsSpecs
{
    private static (HttpResponse? Response, Exception? Error) Run(IHttpAgent agent, HttpRequest request)
    {
        HttpResponse? response = null;
        Exception? error = null;
        agent.Send(request).Subscribe(r => response = r, e => error = e);
        return (response, error);
    }

    /// <summary>An agent that redirects the first request with <paramref name="status"/> and answers the rest with 200.</summary>
    private static FakeAgent RedirectOnce(int status, string location = "http://example.com/next") =>
        new(request => request.Target.EndsWith("/next", StringComparison.Ordinal) ? FakeAgent.Ok() : FakeAgent.Redirect(status, location));

    private static HttpRequest WithBody(string method, string url, string body)
    {
        var request = new HttpRequest(method, url, body: Observable.Return<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(body))) { ContentLength = body.Length };
        request.Headers.Set("Content-Type", "text/plain");
        return request;
    }

    [Theory]
    [InlineData(301, "GET", "GET", false)]
    [InlineData(301, "HEAD", "HEAD", false)]
    [InlineData(301, "POST", "GET", false)]
    [InlineData(301, "PUT", "PUT", true)]
    [InlineData(301, "DELETE", "DELETE", true)]
    [InlineData(302, "GET", "GET", false)]
    [InlineData(302, "HEAD", "HEAD", false)]
    [InlineData(302, "POST", "GET", false)]
    [InlineData(302, "PUT", "PUT", true)]
    [InlineData(302, "DELETE", "DELETE", true)]
    [InlineData(303, "GET", "GET", false)]
    [InlineData(303, "HEAD", "HEAD", false)]
    [InlineData(303, "POST", "GET", false)]
    [InlineData(303, "PUT", "GET", false)]
    [InlineData(303, "DELETE", "GET", false)]
    [InlineData(307, "GET", "GET", false)]
    [InlineData(307, "HEAD", "HEAD", false)]
    [InlineData(307, "POST", "POST", true)]
    [InlineData(307, "PUT", "PUT", true)]
    [InlineData(307, "DELETE", "DELETE", true)]
    [InlineData(308, "GET", "GET", false)]
    [InlineData(308, "HEAD", "HEAD", false)]
    [InlineData(308, "POST", "POST", true)]
    [InlineData(308, "PUT", "PUT", true)]
    [InlineData(308, "DELETE", "DELETE", true)]
    public void BrowserLike_EachStatusAndMethod_SendsTheNextRequestAsABrowserDoes(int status, string method, string nextMethod, bool keepsBody)
    {
        var agent = RedirectOnce(status);
        var request = method is "GET" or "HEAD" ? new HttpRequest(method, "http://example.com/start") : WithBody(method, "http://example.com/start", "payload");

        var (response, error) = Run(agent.FollowRedirects(), request);

        Assert.Null(error);
        Assert.Equal(200, response!.StatusCode);
        Assert.Equal(2, agent.Sent.Count);
        var next = agent.Sent[1];
        Assert.Equal(nextMethod, next.Method);
        Assert.Equal("http://example.com/next", next.Target);
        if (keepsBody)
        {
            Assert.Equal("payload", agent.SentBodies[1]);
            Assert.Equal(7, next.ContentLength);
            Assert.Equal("text/plain", next.Headers["Content-Type"]);
        }
        else
        {
            Assert.Equal("", agent.SentBodies[1]);
            Assert.False(next.Headers.Contains("Content-Type"));
            Assert.NotEqual(7, next.ContentLength);
        }
        Assert.Same(next, response.Request); // the final response answers the last request sent
    }

    [Theory]
    [InlineData(301, "POST")]
    [InlineData(302, "POST")]
    [InlineData(307, "POST")]
    [InlineData(308, "POST")]
    [InlineData(301, "PUT")]
    [InlineData(307, "DELETE")]
    public void Strict_RedirectOfAnUnsafeMethod_FailsWithRedirectRefusedAndDrainsTheRedirect(int status, string method)
    {
        var redirectBody = new TrackedBody("moved");
        var agent = new FakeAgent(_ => FakeAgent.Redirect(status, "/next", redirectBody));

        var (response, error) = Run(agent.FollowRedirects(new HttpRedirectOptions { Strict = true }), WithBody(method, "http://example.com/start", "x"));

        Assert.Null(response);
        Assert.Equal(HttpProtocolError.RedirectRefused, Assert.IsType<HttpProtocolException>(error).Error);
        Assert.Single(agent.Sent);
        Assert.True(redirectBody.ReadToEnd);
    }

    [Theory]
    [InlineData(301, "GET", "GET")]
    [InlineData(302, "HEAD", "HEAD")]
    [InlineData(307, "GET", "GET")]
    [InlineData(308, "HEAD", "HEAD")]
    [InlineData(303, "POST", "GET")]
    [InlineData(303, "HEAD", "HEAD")]
    public void Strict_SafeMethodsAnd303_AreFollowed(int status, string method, string nextMethod)
    {
        var agent = RedirectOnce(status);
        var request = method == "POST" ? WithBody(method, "http://example.com/start", "x") : new HttpRequest(method, "http://example.com/start");

        var (response, error) = Run(agent.FollowRedirects(new HttpRedirectOptions { Strict = true }), request);

        Assert.Null(error);
        Assert.Equal(200, response!.StatusCode);
        Assert.Equal(nextMethod, agent.Sent[1].Method);
    }

    [Theory]
    [InlineData("http://other.example/next")]        // another host
    [InlineData("http://example.com:8080/next")]     // another port
    [InlineData("https://example.com/next")]         // another scheme
    public void CrossOrigin_Redirect_DropsCredentialsAndCookies(string location)
    {
        var agent = RedirectOnce(302, location);
        var request = new HttpRequest("GET", "http://example.com/start");
        request.Headers.Set("Authorization", "Bearer secret").Set("Cookie", "session=1").Set("Proxy-Authorization", "Basic eA==").Set("Accept", "text/html");

        Run(agent.FollowRedirects(), request);

        var next = agent.Sent[1];
        Assert.False(next.Headers.Contains("Authorization"));
        Assert.False(next.Headers.Contains("Cookie"));
        Assert.False(next.Headers.Contains("Proxy-Authorization"));
        Assert.Equal("text/html", next.Headers["Accept"]);
        Assert.Equal("Bearer secret", request.Headers["Authorization"]); // the caller's request is not changed
    }

    [Fact]
    public void SameOrigin_Redirect_KeepsCredentialsAndCookies()
    {
        var agent = RedirectOnce(302, "/next");
        var request = new HttpRequest("GET", "http://EXAMPLE.com:80/start");
        request.Headers.Set("Authorization", "Bearer secret").Set("Cookie", "session=1");

        Run(agent.FollowRedirects(), request);

        Assert.Equal("Bearer secret", agent.Sent[1].Headers["Authorization"]);
        Assert.Equal("session=1", agent.Sent[1].Headers["Cookie"]);
    }

    [Fact]
    public void HttpsToHttp_ByDefault_FailsWithRedirectRefused()
    {
        var agent = RedirectOnce(301, "http://example.com/next");

        var (response, error) = Run(agent.FollowRedirects(), new HttpRequest("GET", "https://example.com/start"));

        Assert.Null(response);
        var e = Assert.IsType<HttpProtocolException>(error);
        Assert.Equal(HttpProtocolError.RedirectRefused, e.Error);
        Assert.Equal(502, e.StatusCode);
        Assert.Contains("AllowInsecureRedirects", e.Message, StringComparison.Ordinal);
        Assert.Single(agent.Sent);
    }

    [Fact]
    public void HttpsToHttp_WhenAllowed_IsFollowed()
    {
        var agent = RedirectOnce(301, "http://example.com/next");

        var (response, _) = Run(agent.FollowRedirects(new HttpRedirectOptions { AllowInsecureRedirects = true }), new HttpRequest("GET", "https://example.com/start"));

        Assert.Equal(200, response!.StatusCode);
        Assert.Equal("http://example.com/next", agent.Sent[1].Target);
    }

    [Theory]
    [InlineData(20, 200, 21)]
    [InlineData(21, null, 21)]
    public void Limit_TwentyRedirectsAreFollowed_TheTwentyFirstFails(int redirects, int? finalStatus, int sent)
    {
        var agent = new FakeAgent(request =>
        {
            int hop = int.Parse(request.Target[(request.Target.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            return hop < redirects ? FakeAgent.Redirect(302, $"/{hop + 1}") : FakeAgent.Ok();
        });

        var (response, error) = Run(agent.FollowRedirects(), new HttpRequest("GET", "http://example.com/0"));

        Assert.Equal(finalStatus, response?.StatusCode);
        Assert.Equal(sent, agent.Sent.Count);
        if (finalStatus is null)
            Assert.Equal(HttpProtocolError.TooManyRedirects, Assert.IsType<HttpProtocolException>(error).Error);
    }

    [Fact]
    public void Limit_Zero_FailsAtTheFirstRedirect()
    {
        var agent = RedirectOnce(302);

        var (_, error) = Run(agent.FollowRedirects(new HttpRedirectOptions { MaxRedirects = 0 }), new HttpRequest("GET", "http://example.com/start"));

        Assert.Equal(HttpProtocolError.TooManyRedirects, Assert.IsType<HttpProtocolException>(error).Error);
    }

    [Theory]
    [InlineData("http://example.com/a/b/c", "../next?x=1", "http://example.com/a/next?x=1")]
    [InlineData("http://example.com/a/b/c", "/next", "http://example.com/next")]
    [InlineData("http://example.com/a/b/c", "next", "http://example.com/a/b/next")]
    [InlineData("http://example.com/a/b/c", "//other.example/next", "http://other.example/next")]
    [InlineData("https://example.com:8443/a", "?page=2", "https://example.com:8443/a?page=2")]
    public void RelativeLocation_IsResolvedAgainstTheRequestUri(string from, string location, string expected)
    {
        var agent = new FakeAgent(request => request.Target == from ? FakeAgent.Redirect(302, location) : FakeAgent.Ok());

        Run(agent.FollowRedirects(), new HttpRequest("GET", from));

        Assert.Equal(expected, agent.Sent[1].Target);
    }

    [Fact]
    public void IntermediateResponses_AreReadToTheirEnd_BeforeTheNextRequestIsSent()
    {
        var bodies = new List<TrackedBody>();
        var readBeforeNext = new List<bool>();
        var agent = new FakeAgent(request =>
        {
            readBeforeNext.Add(bodies.All(b => b.ReadToEnd));
            if (bodies.Count == 3)
                return FakeAgent.Ok();
            var body = new TrackedBody(new byte[1000], chunkSize: 100);
            bodies.Add(body);
            return FakeAgent.Redirect(302, "/again", body);
        });

        var (response, _) = Run(agent.FollowRedirects(), new HttpRequest("GET", "http://example.com/start"));

        Assert.Equal(200, response!.StatusCode);
        Assert.All(bodies, b => Assert.True(b.ReadToEnd));
        Assert.All(readBeforeNext, Assert.True);
        Assert.Equal(4, readBeforeNext.Count);
    }

    [Fact]
    public void IntermediateResponse_WithAHugeBody_IsDroppedAfter64KiBAndTheRedirectStillFollowed()
    {
        var huge = new System.Reactive.Subjects.Subject<ReadOnlyMemory<byte>>();
        var agent = new FakeAgent(request => request.Target.EndsWith("/next", StringComparison.Ordinal) ? FakeAgent.Ok() : FakeAgent.Redirect(302, "/next", huge));

        var (response, _) = Run(agent.FollowRedirects(), new HttpRequest("GET", "http://example.com/start"));
        Assert.Null(response); // waiting for the redirect's body
        int pushed = 0;
        while (huge.HasObservers && pushed < 1024)
        {
            huge.OnNext(new byte[1024]);
            pushed++;
        }

        Assert.Equal(65, pushed); // dropped at the first chunk past 64 KiB
        Assert.Equal(2, agent.Sent.Count);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(304)]
    [InlineData(200)]
    public void NonRedirectStatuses_AreReturnedAsTheyAre(int status)
    {
        var agent = new FakeAgent(_ => FakeAgent.Redirect(status, "/elsewhere"));

        var (response, _) = Run(agent.FollowRedirects(), new HttpRequest("GET", "http://example.com/start"));

        Assert.Equal(status, response!.StatusCode);
        Assert.Single(agent.Sent);
    }

    [Fact]
    public void RedirectWithoutLocation_IsReturnedAsItIs()
    {
        var agent = new FakeAgent(_ => new HttpResponse(302) { Body = new TrackedBody("no location") });

        var (response, _) = Run(agent.FollowRedirects(), new HttpRequest("GET", "http://example.com/start"));

        Assert.Equal(302, response!.StatusCode);
    }

    [Theory]
    [InlineData("ftp://example.com/file")]
    [InlineData("javascript:alert(1)")]
    public void LocationThatIsNotHttp_FailsWithRedirectRefused(string location)
    {
        var agent = RedirectOnce(302, location);

        var (_, error) = Run(agent.FollowRedirects(), new HttpRequest("GET", "http://example.com/start"));

        Assert.Equal(HttpProtocolError.RedirectRefused, Assert.IsType<HttpProtocolException>(error).Error);
    }

    [Fact]
    public void Replay_BodyLongerThanTheLimit_ReturnsThe307AsItIs()
    {
        var agent = RedirectOnce(307, "/next");

        var (response, error) = Run(
            agent.FollowRedirects(new HttpRedirectOptions { MaxReplayBodySize = 4 }),
            WithBody("POST", "http://example.com/start", "longer than four"));

        Assert.Null(error);
        Assert.Equal(307, response!.StatusCode);
        Assert.Single(agent.Sent);
    }

    [Fact]
    public void Replay_UnicastBodyTheAgentNeverRead_IsSentToTheNextHopAsItIs()
    {
        var agent = new FakeAgent(request => request.Target.EndsWith("/next", StringComparison.Ordinal) ? FakeAgent.Ok() : FakeAgent.Redirect(308, "/next"), readsBodies: false);
        var unicast = new System.Reactive.Subjects.Subject<ReadOnlyMemory<byte>>();
        var request = new HttpRequest("PUT", "http://example.com/start", body: unicast) { ContentLength = 5 };

        var (response, _) = Run(agent.FollowRedirects(), request);
        var received = new List<byte>();
        agent.Sent[1].Body.Subscribe(c => received.AddRange(c.ToArray()));
        unicast.OnNext("hello"u8.ToArray());

        Assert.Equal(200, response!.StatusCode);
        Assert.Equal(5, agent.Sent[1].ContentLength);
        Assert.Equal("hello"u8.ToArray(), received);
    }

    [Fact]
    public void Replay_PausableBody_StaysPausableForTheAgent()
    {
        var agent = RedirectOnce(307, "/next");
        var pausable = Observable.Return<ReadOnlyMemory<byte>>(new byte[] { 1, 2, 3 }).ToConnectionInput();

        Run(agent.FollowRedirects(), new HttpRequest("POST", "http://example.com/start", body: pausable) { ContentLength = 3 });

        Assert.IsAssignableFrom<IPausableObservable<ReadOnlyMemory<byte>>>(agent.Sent[0].Body);
        Assert.Equal(3, agent.Sent[1].ContentLength);
        Assert.Equal("\u0001\u0002\u0003", agent.SentBodies[1]);
    }

    [Fact]
    public void ErrorOfAHop_PassesThrough()
    {
        var failure = new ConnectionRefusedException("refused");
        var agent = new ErrorAgent(failure);

        var (_, error) = Run(agent.FollowRedirects(), new HttpRequest("GET", "http://example.com/start"));

        Assert.Same(failure, error);
    }

    private sealed class ErrorAgent(Exception error) : IHttpAgent
    {
        public System.Reactive.Concurrency.IScheduler Scheduler => System.Reactive.Concurrency.ImmediateScheduler.Instance;

        public IObservable<HttpResponse> Send(HttpRequest request) => Observable.Throw<HttpResponse>(error);
    }
}
