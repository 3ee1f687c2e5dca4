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

    [Fact]
    public void Send_BodyUntilClose_EndsWhenTheServerCloses()
    {
        using var h = new AgentHarness((c, _) =>
        {
            AgentHarness.Write(c, "HTTP/1.0 200 OK\r\n\r\nall of ");
            AgentHarness.Write(c, "it");
            c.Close();
        });
        var x = h.Get("/");
        h.Run();
        Assert.Null(x.Error);
        Assert.Null(x.Response!.ContentLength);
        Assert.Equal("all of it", x.Body);
        Assert.True(x.BodyCompleted);
        Assert.Equal(0, h.Agent.Counters.Open);
    }

    [Theory]
    [InlineData("HEAD", 200)]
    [InlineData("GET", 204)]
    [InlineData("GET", 304)]
    public void Send_BodilessResponse_CompletesItsBodyAtOnceAndReusesTheConnection(string method, int status)
    {
        using var h = new AgentHarness(_ => Observable.Return(status == 200 ? HttpResponse.Text("not sent") : new HttpResponse(status)));
        var first = h.Send(new HttpRequest(method, "http://server/"), readBody: false);
        h.Run();
        Assert.Equal(status, first.Response!.StatusCode);
        Assert.Equal(0, first.Response.ContentLength);
        Assert.Equal(1, h.Agent.Counters.Idle); // back in the pool without anyone reading the body
        first.ReadBody();
        Assert.True(first.BodyCompleted);
        Assert.Equal("", first.Body);
        var second = h.Send(new HttpRequest(method, "http://server/"));
        h.Run();
        Assert.Equal(status, second.Response!.StatusCode);
        Assert.Single(h.ServerConnections);
    }

    [Fact]
    public void Send_SequentialRequests_ReuseOneKeepAliveConnection()
    {
        using var h = new AgentHarness(r => Text(r.Path));
        for (int i = 0; i < 3; i++)
        {
            var x = h.Get($"/{i}");
            h.Run();
            Assert.Equal($"/{i}", x.Body);
        }
        Assert.Single(h.ServerConnections);
        Assert.Equal(1, h.Agent.Counters.Idle);
        Assert.Equal(0, h.Agent.Counters.InUse);
    }

    [Fact]
    public void Send_ConnectionClose_IsNotReused()
    {
        using var h = new AgentHarness(_ =>
        {
            var response = HttpResponse.Text("bye");
            response.Headers.Set("Connection", "close");
            return Observable.Return(response);
        });
        h.Get("/");
        h.Run();
        h.Get("/");
        h.Run();
        Assert.Equal(2, h.ServerConnections.Count);
        Assert.Equal(0, h.Agent.Counters.Open);
    }

    [Fact]
    public void Send_SecondBodySubscription_Fails()
    {
        using var h = new AgentHarness(_ => Text("x"));
        var x = h.Get("/");
        h.Run();
        Exception? error = null;
        x.Response!.Body!.Subscribe(_ => { }, e => error = e);
        Assert.IsType<InvalidOperationException>(error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Send_RequestBody_ArrivesWithContentLengthOrChunked(bool known)
    {
        string? received = null;
        HttpRequest? seen = null;
        using var h = new AgentHarness(r =>
        {
            seen = r;
            return r.Body.Aggregate("", (text, chunk) => text + Encoding.ASCII.GetString(chunk.Span)).Select(text =>
            {
                received = text;
                return HttpResponse.Text("got " + text.Length);
            });
        });
        var body = new[] { "one,", "two,", "three" }.Select(p => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(p)).ToObservable();
        var x = h.Send(new HttpRequest("POST", "http://server/upload", body: body) { ContentLength = known ? 13 : null });
        h.Run();
        Assert.Equal("one,two,three", received);
        Assert.Equal(known ? 13 : null, seen!.ContentLength);
        Assert.Equal(known ? null : "chunked", seen.Headers["Transfer-Encoding"]);
        Assert.Equal("got 13", x.Body);
    }

    [Theory]
    [InlineData("short", 10)]
    [InlineData("much too long", 5)]
    public void Send_RequestBodyOfTheWrongLength_FailsTypedAndAbortsTheConnection(string text, long declared)
    {
        using var h = new AgentHarness(r => r.Body.LastOrDefaultAsync().Select(_ => HttpResponse.Text("x")));
        var body = Observable.Return((ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(text));
        var x = h.Send(new HttpRequest("POST", "http://server/", body: body) { ContentLength = declared });
        h.Run();
        var error = Assert.IsType<HttpProtocolException>(x.Error);
        Assert.Equal(HttpProtocolError.RequestBodyLengthMismatch, error.Error);
        Assert.Equal(0, h.Agent.Counters.Open);
        Assert.Equal(1, h.ServerConnectionsClosed);
    }

    [Fact]
    public void Send_PausableRequestBody_IsPausedWhileTheServerDoesNotRead()
    {
        var body = new PausableTestBody(chunk: 16 * 1024);
        using var h = new AgentHarness(_ => Observable.Never<HttpResponse>());
        h.Send(new HttpRequest("POST", "http://server/", body: body) { ContentLength = 100L * 1024 * 1024 });
        h.Run();
        Assert.True(body.Paused);
        Assert.True(body.Sent < 1024 * 1024, $"sent {body.Sent} bytes to a server that reads nothing");
    }

    [Fact]
    public void Send_ExpectContinue_SendsTheBodyOnlyAfterThe100()
    {
        using var h = new AgentHarness(r => r.Body.LastOrDefaultAsync().Select(_ => HttpResponse.Text("done")));
        var request = new HttpRequest("PUT", "http://server/", body: Observable.Return((ReadOnlyMemory<byte>)"data"u8.ToArray())) { ContentLength = 4 };
        request.Headers.Set("Expect", "100-continue");
        var x = h.Send(request);
        h.Run();
        Assert.Equal(200, x.Response!.StatusCode);
        Assert.Equal("done", x.Body);
    }

    [Fact]
    public void Send_ExpectContinueAnsweredWithAFinalStatus_SendsNoBodyAndClosesTheConnection()
    {
        using var h = new AgentHarness((c, _) => AgentHarness.Write(c, "HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n"));
        var request = new HttpRequest("PUT", "http://server/", body: Observable.Return((ReadOnlyMemory<byte>)"secret-body"u8.ToArray())) { ContentLength = 11 };
        request.Headers.Set("Expect", "100-continue");
        var x = h.Send(request);
        h.Run();
        Assert.Equal(417, x.Response!.StatusCode);
        Assert.DoesNotContain("secret-body", h.RawReceived.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, h.Agent.Counters.Open);
    }

    [Fact]
    public void Send_InterimResponses_AreSkipped()
    {
        using var h = new AgentHarness((c, _) => AgentHarness.Write(c, "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        var x = h.Get("/");
        h.Run();
        Assert.Equal(200, x.Response!.StatusCode);
        Assert.Equal("ok", x.Body);
    }

    [Fact]
    public void Send_ChunkedTrailers_AreOnTheResponseOnceTheBodyEnds()
    {
        using var h = new AgentHarness((c, _) => AgentHarness.Write(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nChecksum: 42\r\n\r\n"));
        var x = h.Get("/");
        h.Run();
        Assert.Equal("abc", x.Body);
        Assert.Equal("42", x.Response!.Trailers["Checksum"]);
    }

    [Fact]
    public void Send_EveryChunkingOfTheResponse_GivesTheSameResult()
    {
        const string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: b\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        for (int size = 1; size <= wire.Length; size++)
        {
            int step = size;
            using var h = new AgentHarness((c, _) =>
            {
                for (int i = 0; i < wire.Length; i += step)
                    AgentHarness.Write(c, wire.Substring(i, Math.Min(step, wire.Length - i)));
            });
            var x = h.Get("/");
            h.Run();
            Assert.True(x.Error is null, $"split {step}: {x.Error}");
            Assert.Equal("b", x.Response!.Headers["X-A"]);
            Assert.Equal("hello world", x.Body);
            Assert.True(x.BodyCompleted);
            Assert.Equal(1, h.Agent.Counters.Idle);
        }
    }

    [Fact]
    public void Send_MalformedResponse_FailsWith502AndClosesTheConnection()
    {
        using var h = new AgentHarness((c, _) => AgentHarness.Write(c, "HTTP/1.1 2OO OK\r\n\r\n"));
        var x = h.Get("/");
        h.Run();
        var error = Assert.IsType<HttpProtocolException>(x.Error);
        Assert.Equal(502, error.StatusCode);
        Assert.Equal(0, h.Agent.Counters.Open);
        Assert.Equal(1, h.ServerConnectionsClosed);
    }

    [Fact]
    public void Send_ServerClosesBeforeTheHead_FailsWithResponseEndedEarly()
    {
        using var h = new AgentHarness((c, _) => c.Close());
        var x = h.Get("/");
        h.Run();
        Assert.Equal(HttpProtocolError.ResponseEndedEarly, Assert.IsType<HttpProtocolException>(x.Error).Error);
    }

    [Fact]
    public void Send_BodyCutShort_FailsTheBodyAndClosesTheConnection()
    {
        using var h = new AgentHarness((c, _) =>
        {
            AgentHarness.Write(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
            c.Close();
        });
        var x = h.Get("/");
        h.Run();
        Assert.Equal("abc", x.Body);
        Assert.Equal(HttpProtocolError.ResponseEndedEarly, Assert.IsType<HttpProtocolException>(x.BodyError).Error);
        Assert.Equal(0, h.Agent.Counters.Open);
    }

    [Fact]
    public void Send_BodyLargerThanMaxResponseBodySize_FailsTyped()
    {
        using var h = new AgentHarness(_ => Text(new string('x', 100)), new HttpAgentOptions { MaxResponseBodySize = 50 });
        var x = h.Get("/");
        h.Run();
        Assert.Equal(HttpProtocolError.BodyTooLarge, Assert.IsType<HttpProtocolException>(x.BodyError).Error);
        Assert.Equal(0, h.Agent.Counters.Open);
    }

    [Fact]
    public void Send_SwitchingProtocols_HandsOverTheConnectionWithTheBytesAfterTheHead()
    {
        using var h = new AgentHarness((c, _) => AgentHarness.Write(c, "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: echo\r\n\r\nfirst-frame"));
        var request = new HttpRequest("GET", "http://server/ws");
        request.Headers.Set("Connection", "upgrade").Set("Upgrade", "echo");
        var x = h.Send(request, readBody: false);
        h.Run();
        Assert.Equal(101, x.Response!.StatusCode);
        var upgraded = x.Response.UpgradedConnection!;
        var received = new StringBuilder();
        upgraded.Input.Subscribe(chunk => received.Append(Encoding.ASCII.GetString(chunk.Span)));
        h.Run();
        Assert.Equal("first-frame", received.ToString());
        Assert.Equal(0, h.Agent.Counters.Open); // no longer the pool's
        upgraded.Dispose();
    }

    [Fact]
    public void Send_AfterDispose_FailsWithObjectDisposed()
    {
        var h = new AgentHarness(_ => Text("x"));
        h.Dispose();
        var x = h.Get("/");
        h.Run();
        Assert.IsType<ObjectDisposedException>(x.Error);
    }

    [Fact]
    public void Get_RelativeUrl_IsRejectedAtTheCall()
    {
        using var h = new AgentHarness(_ => Text("x"));
        Assert.Throws<ArgumentException>(() => h.Agent.Get("/relative"));
    }
}
