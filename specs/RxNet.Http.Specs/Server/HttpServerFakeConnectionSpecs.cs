using System.Reactive.Linq;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.Server;

/// <summary>The engine over a byte-level fake connection: the same answers at every split of the input, the input
/// paused while a body is not read, protocol errors logged with the peer.</summary>
public sealed class HttpServerFakeConnectionSpecs
{
    private const string Pipelined =
        "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" +
        "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n" +
        "GET /c HTTP/1.1\r\nHost: x\r\n\r\n";

    [Fact]
    public void Serve_PipelinedRequestsWithBodiesAtEverySplit_AnswersTheSameInOrder()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(Pipelined);
        string expected = Serve([bytes]);
        Assert.Contains("a:abc", expected, StringComparison.Ordinal);
        Assert.True(expected.IndexOf("a:abc", StringComparison.Ordinal) < expected.IndexOf("b:de", StringComparison.Ordinal)
            && expected.IndexOf("b:de", StringComparison.Ordinal) < expected.IndexOf("c:", StringComparison.Ordinal), expected);

        foreach (var chunks in Chunking.Boundaries(bytes))
            Assert.Equal(expected, Serve(chunks));
    }

    [Fact]
    public void Serve_BodyNotSubscribed_PausesTheInputAndResumesWhenTheHandlerReads()
    {
        var scheduler = new TestScheduler();
        var connection = new FakeConnection();
        HttpRequest? request = null;
        var server = new HttpServer(r =>
        {
            request = r;
            return Observable.Never<HttpResponse>();
        }, scheduler);
        server.Serve(connection);

        connection.Input.Receive("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n");
        Assert.True(connection.Input.IsPaused);
        var text = new StringBuilder();
        request!.Body.Subscribe(c => text.Append(Encoding.ASCII.GetString(c.Span)));
        Assert.False(connection.Input.IsPaused);
        connection.Input.Receive("body");

        Assert.Equal("body", text.ToString());
    }

    [Fact]
    public void Serve_ProtocolError_LogsTheReasonWithThePeerAndCloses()
    {
        var logger = new FakeLogger();
        var connection = new FakeConnection();
        var server = new HttpServer(_ => Observable.Return(HttpResponse.Text("no")), new TestScheduler(), HttpServerOptions.Default with { Logger = logger });
        server.Serve(connection);

        connection.Input.Receive("GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", connection.Output.Text, StringComparison.Ordinal);
        Assert.Equal(1, connection.CloseCount);
        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Information, record.Level);
        Assert.Contains("127.0.0.1:50000", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_ProtocolErrorOnOneConnection_LeavesTheOthersServing()
    {
        var scheduler = new TestScheduler();
        var server = new HttpServer(_ => Observable.Return(HttpResponse.Text("ok")), scheduler);
        var bad = new FakeConnection();
        var good = new FakeConnection();
        server.Serve(bad);
        server.Serve(good);

        bad.Input.Receive("NOT HTTP\r\n\r\n");
        good.Input.Receive("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal(1, bad.CloseCount);
        Assert.EndsWith("ok", good.Output.Text, StringComparison.Ordinal);
        Assert.Equal(0, good.CloseCount);
    }

    [Fact]
    public void Serve_HandlerReturnsNull_Answers500()
    {
        var connection = new FakeConnection();
        var server = new HttpServer(_ => null!, new TestScheduler());
        server.Serve(connection);

        connection.Input.Receive("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 500", connection.Output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_ResponseHeaderValueWithALineBreak_IsRefusedWhenSetSoNoResponseIsSplit()
    {
        var connection = new FakeConnection();
        var server = new HttpServer(_ =>
        {
            var response = HttpResponse.Text("x");
            response.Headers.Set("X-Evil", "a\r\nSet-Cookie: stolen");
            return Observable.Return(response);
        }, new TestScheduler());
        server.Serve(connection);

        connection.Input.Receive("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 500", connection.Output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("stolen", connection.Output.Text, StringComparison.Ordinal);
    }

    private static string Serve(IEnumerable<byte[]> chunks)
    {
        var connection = new FakeConnection();
        var server = new HttpServer(r => r.Body.ReadAllText().Select(body => HttpResponse.Text(r.Path[1..] + ":" + body)), new TestScheduler());
        server.Serve(connection);
        foreach (byte[] chunk in chunks)
            connection.Input.Receive(chunk);
        return connection.Output.Text;
    }
}
