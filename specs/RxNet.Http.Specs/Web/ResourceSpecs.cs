using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Http.Web;

namespace RxNet.Http.Specs.Web;

public sealed class ResourceSpecs
{
    private readonly TestScheduler _scheduler = new();

    /// <summary>Renders the path lists it was reached with, as Twisted's tutorials do.</summary>
    private sealed class Paths : Resource
    {
        public override bool IsLeaf => true;

        protected override byte[]? RenderGet(Request request) =>
            Encoding.UTF8.GetBytes($"pre=[{string.Join(",", request.PrePath)}] post=[{string.Join(",", request.PostPath)}]");
    }

    private sealed class Text(string text) : Resource
    {
        protected override byte[]? RenderGet(Request request) => Encoding.UTF8.GetBytes(text);
    }

    private sealed class PostOnly : Resource
    {
        protected override byte[]? RenderPost(Request request) => "posted"u8.ToArray();
    }

    private sealed class Throws : Resource
    {
        protected override byte[]? RenderGet(Request request) => throw new InvalidOperationException("boom");
    }

    private sealed class Dynamic : Resource
    {
        public override Resource GetChild(string path, Request request) => new Text($"child {path}");
    }

    private Site SiteOf(Resource root) => new(root, _scheduler);

    [Theory]
    [InlineData("/leaf", "pre=[leaf] post=[]")]
    [InlineData("/leaf/", "pre=[leaf] post=[]")]
    [InlineData("/leaf/a/b", "pre=[leaf] post=[a,b]")]
    [InlineData("/leaf/a/b/", "pre=[leaf] post=[a,b,]")]
    [InlineData("/leaf/a%2Fb/c%20d?x=1", "pre=[leaf] post=[a/b,c d]")]
    public void Traversal_ToALeaf_MovesSegmentsToPrePathAndLeavesTheRestDecodedInPostPath(string target, string expected)
    {
        var root = new Resource();
        root.PutChild("leaf", new Paths());

        var exchange = WebExchange.Send(SiteOf(root), "GET", target);

        Assert.Equal(200, exchange.Status);
        Assert.Equal(expected, exchange.Text);   // "/leaf/" leaves [""]: one empty segment
    }

    [Fact]
    public void Traversal_TrailingSlash_AsksForTheEmptyChild()
    {
        var root = new Resource();
        var dir = new Resource();
        root.PutChild("dir", dir);
        dir.PutChild("", new Text("index"));

        Assert.Equal("index", WebExchange.Send(SiteOf(root), "GET", "/dir/").Text);
        Assert.Equal(405, WebExchange.Send(SiteOf(root), "GET", "/dir").Status);   // dir itself renders nothing
    }

    [Fact]
    public void Traversal_PutChildComesBeforeGetChild()
    {
        var root = new Dynamic();
        root.PutChild("fixed", new Text("put"));

        Assert.Equal("put", WebExchange.Send(SiteOf(root), "GET", "/fixed").Text);
        Assert.Equal("child other", WebExchange.Send(SiteOf(root), "GET", "/other").Text);
    }

    [Fact]
    public void Traversal_UnknownChild_IsA404NoResourcePage()
    {
        var exchange = WebExchange.Send(SiteOf(new Resource()), "GET", "/nothing/here");

        Assert.Equal(404, exchange.Status);
        Assert.Equal("text/html; charset=utf-8", exchange.Header("Content-Type"));
        Assert.Contains("No Such Resource", exchange.Text, StringComparison.Ordinal);
        Assert.Equal(exchange.Body.Length, exchange.Response!.ContentLength);
    }

    [Fact]
    public void Render_MethodNotOverridden_Is405WithAllowListingTheOverriddenOnes()
    {
        var root = new Resource();
        root.PutChild("get", new Text("x"));
        root.PutChild("post", new PostOnly());

        var put = WebExchange.Send(SiteOf(root), "PUT", "/get");
        var get = WebExchange.Send(SiteOf(root), "GET", "/post");
        var brew = WebExchange.Send(SiteOf(root), "BREW", "/get");

        Assert.Equal((405, "GET, HEAD"), (put.Status, put.Header("Allow")));
        Assert.Equal((405, "POST"), (get.Status, get.Header("Allow")));
        Assert.Equal((405, "GET, HEAD"), (brew.Status, brew.Header("Allow")));
        Assert.Equal("posted", WebExchange.Send(SiteOf(root), "POST", "/post").Text);
    }

    [Fact]
    public void Render_Head_RendersGetAndKeepsOnlyTheLength()
    {
        var root = new Resource();
        root.PutChild("t", new Text("twelve bytes"));

        var head = WebExchange.Send(SiteOf(root), "HEAD", "/t");

        Assert.Equal(200, head.Status);
        Assert.Null(head.Response!.Body);
        Assert.Equal(12, head.Response.ContentLength);
        Assert.True(head.Completed);
    }

    [Fact]
    public void Render_Throws_Is500AndTheNextRequestIsServed()
    {
        var root = new Resource();
        root.PutChild("bad", new Throws());
        root.PutChild("good", new Text("fine"));
        var site = SiteOf(root);

        var bad = WebExchange.Send(site, "GET", "/bad");

        Assert.Equal(500, bad.Status);
        Assert.DoesNotContain("boom", bad.Text, StringComparison.Ordinal);   // the reason goes to the log, not the client
        Assert.Equal("fine", WebExchange.Send(site, "GET", "/good").Text);
    }

    [Fact]
    public void ErrorPage_AnswersEveryMethodAndPathBelowIt()
    {
        var root = new Resource();
        root.PutChild("gone", new ErrorPage(410, "Gone", "It <left>."));

        var exchange = WebExchange.Send(SiteOf(root), "DELETE", "/gone/deeper/still");

        Assert.Equal(410, exchange.Status);
        Assert.Contains("It &lt;left&gt;.", exchange.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void PutChild_SegmentWithSlash_Throws() =>
        Assert.Throws<ArgumentException>(() => new Resource().PutChild("a/b", new Resource()));
}
