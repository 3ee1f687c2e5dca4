using System.Reactive.Linq;
using System.Text;

namespace RxNet.Http.Specs.Client;

public sealed class HttpAgentSpecs
{
    private static IObservable<HttpResponse> Text(string text) => Observable.Return(HttpResponse.Text(text));

    private static IObservable<HttpResponse> Chunked(params string[] parts) => Observable.Return(new HttpResponse
    {
        Body = parts.Select(p => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(p)).ToObservable(),
    });

    [Fact]
    public void Send_ContentLengthBody_EmitsTheResponseAndItsBody()
    {
        using var h = new AgentHarness(_ => Text("hello"));
        var x = h.Get("/a");
        h.Run();
        Assert.Null(x.Error);
        Assert.Equal(200, x.Response!.StatusCode);
        Assert.Equal("OK", x.Response.ReasonPhrase);
        Assert.Equal(5, x.Response.ContentLength);
        Assert.Equal("text/plain; charset=utf-8", x.Response.Headers["Content-Type"]);
        Assert.Equal("hello", x.Body);
        Assert.True(x.BodyCompleted);
        Assert.Equal("GET", x.Response.Request!.Method);
    }

    [Fact]
    public void Send_ChunkedBody_DecodesItAndLeavesTheLengthUnknown()
    {
        using var h = new AgentHarness(_ => Chunked("ab", "cde", "f"));
        var x = h.Get("/");
        h.Run();
        Assert.Null(x.Error);
        Assert.Null(x.Response!.ContentLength);
        Assert.Equal("chunked", x.Response.Headers["Transfer-Encoding"]);
        Assert.Equal("abcdef", x.Body);
        Assert.True(x.BodyCompleted);
    }

    [Fact]
    public void Send_TheServerSeesOriginFormTargetAndHost()
    {
        HttpRequest? seen = null;
        using var h = new AgentHarness(r =>
        {
            seen = r;
            return Text("ok");
        });
        h.Send(new HttpRequest("GET", "http://server/p/a%20b?q=1"));
        h.Run();
        Assert.Equal("/p/a%20b?q=1", seen!.Target);
        Assert.Equal("server", seen.Headers["Host"]);
    }
}
