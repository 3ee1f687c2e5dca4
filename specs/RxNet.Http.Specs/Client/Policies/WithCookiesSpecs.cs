using System.Net;

namespace RxNet.Http.Specs.Client.Policies;

public sealed class WithCookiesSpecs
{
    private static HttpResponse SetCookie(params string[] cookies)
    {
        var response = FakeAgent.Ok();
        foreach (string cookie in cookies)
            response.Headers.Add("Set-Cookie", cookie);
        return response;
    }

    private static void Get(IHttpAgent agent, string url, string? cookie = null)
    {
        var request = new HttpRequest("GET", url);
        if (cookie is not null)
            request.Headers.Set("Cookie", cookie);
        agent.Send(request).Subscribe();
    }

    [Fact]
    public void SetCookie_IsStored_AndSentWithTheNextRequestToThatSite()
    {
        var jar = new CookieContainer();
        var agent = new FakeAgent(request => request.Path == "/login" ? SetCookie("session=abc; Path=/", "theme=dark; Path=/; Expires=Wed, 09 Jun 2100 10:18:14 GMT") : FakeAgent.Ok());
        var cookies = agent.WithCookies(jar);

        Get(cookies, "http://example.com/login");
        Get(cookies, "http://example.com/page");
        Get(cookies, "http://other.example/page");

        Assert.Null(agent.Sent[0].Headers["Cookie"]);
        Assert.Equal("session=abc; theme=dark", agent.Sent[1].Headers["Cookie"]);
        Assert.Null(agent.Sent[2].Headers["Cookie"]);
        Assert.Equal(2, jar.Count);
    }

    [Fact]
    public void CallersOwnCookie_IsKept_AndTheJarsAreAddedAfterIt()
    {
        var jar = new CookieContainer();
        jar.Add(new Uri("http://example.com/"), new Cookie("session", "abc"));
        var agent = new FakeAgent(_ => FakeAgent.Ok());

        Get(agent.WithCookies(jar), "http://example.com/", cookie: "mine=1");

        Assert.Equal("mine=1; session=abc", agent.Sent[0].Headers["Cookie"]);
    }

    [Fact]
    public void MalformedOrForeignSetCookie_IsIgnored()
    {
        var jar = new CookieContainer();
        var agent = new FakeAgent(_ => SetCookie("good=1", "bad=1; Domain=evil.example"));

        Get(agent.WithCookies(jar), "http://example.com/");

        Assert.Equal("good=1", jar.GetCookieHeader(new Uri("http://example.com/")));
    }

    [Fact]
    public void UnderFollowRedirects_EveryHopStoresAndSendsCookies()
    {
        var jar = new CookieContainer();
        var agent = new FakeAgent(request => request.Path switch
        {
            "/login" => FakeAgent.Redirect(302, "/home").With("Set-Cookie", "session=abc"),
            "/home" => FakeAgent.Redirect(302, "http://other.example/away"),
            _ => FakeAgent.Ok(),
        });

        Get(agent.WithCookies(jar).FollowRedirects(), "http://example.com/login");

        Assert.Equal(3, agent.Sent.Count);
        Assert.Equal("session=abc", agent.Sent[1].Headers["Cookie"]); // set by the redirect, sent by the next hop
        Assert.Null(agent.Sent[2].Headers["Cookie"]);                 // not to another site
    }

    [Fact]
    public void CallersRequest_IsNotChanged()
    {
        var jar = new CookieContainer();
        jar.Add(new Uri("http://example.com/"), new Cookie("session", "abc"));
        var agent = new FakeAgent(_ => FakeAgent.Ok());
        var request = new HttpRequest("GET", "http://example.com/");

        agent.WithCookies(jar).Send(request).Subscribe();

        Assert.False(request.Headers.Contains("Cookie"));
        Assert.Equal("session=abc", agent.Sent[0].Headers["Cookie"]);
    }
}
