using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text;

namespace RxNet.Http.Specs.Server;

/// <summary>The server's exchanges on one connection: keep-alive, ordering, failures, HEAD, HTTP/1.0.</summary>
public sealed class HttpServerSpecs
{
    private const long Ms = SimulatedHttp.Ms;

    [Fact]
    public void Serve_TwoRequestsOnOneConnection_AnswersBothAndKeepsItOpen()
    {
        var http = new SimulatedHttp(r => Observable.Return(HttpResponse.Text("hi " + r.Path)));

        http.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Run();
        http.Send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        string received = http.Run();

        Assert.Equal(["HTTP/1.1 200 OK", "HTTP/1.1 200 OK"], http.StatusLines());
        Assert.Contains("Content-Length: 5\r\n\r\nhi /a", received, StringComparison.Ordinal);
        Assert.EndsWith("Content-Length: 5\r\n\r\nhi /b", received, StringComparison.Ordinal);
        Assert.False(http.InputEnded);
    }

    [Fact]
    public void Serve_PipelinedRequestsWhoseFirstHandlerIsSlow_AnswersInOrderAndCallsTheNextHandlerOnlyAfterIt()
    {
        var calls = new List<(string Path, long At)>();
        TestSchedulerHolder? holder = null;
        var http = new SimulatedHttp(r =>
        {
            calls.Add((r.Path, holder!.Scheduler.Clock));
            var response = HttpResponse.Text(r.Path);
            return r.Path == "/slow" ? Observable.Return(response).Delay(TimeSpan.FromSeconds(1), holder.Scheduler) : Observable.Return(response);
        });
        holder = new TestSchedulerHolder(http.Scheduler);

        http.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
        string received = http.Run(2000 * Ms);

        Assert.True(received.IndexOf("/slow", StringComparison.Ordinal) < received.IndexOf("/fast", StringComparison.Ordinal), received);
        Assert.Equal(["/slow", "/fast"], calls.Select(c => c.Path));
        Assert.True(calls[1].At >= calls[0].At + 1000 * Ms, $"the second handler ran at {calls[1].At}, the first at {calls[0].At}");
    }

    [Fact]
    public void Serve_HandlerThrowsBeforeItsResponse_Answers500AndServesTheNextRequest()
    {
        var http = new SimulatedHttp(r => r.Path == "/boom" ? throw new InvalidOperationException("boom") : Observable.Return(HttpResponse.Text("ok")));

        http.Send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
        string received = http.Run();

        Assert.Equal(["HTTP/1.1 500 Internal Server Error", "HTTP/1.1 200 OK"], http.StatusLines());
        Assert.EndsWith("ok", received, StringComparison.Ordinal);
        Assert.False(http.InputEnded);
    }

    [Fact]
    public void Serve_HandlerErrorsOrCompletesWithoutAResponse_Answers500ForEach()
    {
        var http = new SimulatedHttp(r => r.Path == "/error"
            ? Observable.Throw<HttpResponse>(new InvalidOperationException("no"))
            : Observable.Empty<HttpResponse>());

        http.Send("GET /error HTTP/1.1\r\nHost: x\r\n\r\nGET /empty HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Run();

        Assert.Equal(["HTTP/1.1 500 Internal Server Error", "HTTP/1.1 500 Internal Server Error"], http.StatusLines());
        Assert.False(http.InputEnded);
    }

    [Fact]
    public void Serve_ResponseBodyFailsAfterItsHead_AbortsTheConnectionWithoutASecondStatus()
    {
        var body = new Subject<ReadOnlyMemory<byte>>();
        var http = new SimulatedHttp(_ => Observable.Return(new HttpResponse { Body = body }));

        http.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Run();
        body.OnNext(Encoding.ASCII.GetBytes("part"));
        http.Run();
        body.OnError(new InvalidOperationException("late"));
        http.Run();

        Assert.Equal(["HTTP/1.1 200 OK"], http.StatusLines());
        Assert.Contains("Transfer-Encoding: chunked", http.Received, StringComparison.Ordinal);
        Assert.Equal(ConnectionCloseReason.Reset, http.Closed?.Reason);
    }

    [Theory]
    [InlineData("abc", 5)]
    [InlineData("abcdefg", 5)]
    public void Serve_ResponseBodyNotAsLongAsItsContentLength_AbortsTheConnection(string body, long length)
    {
        var http = new SimulatedHttp(_ => Observable.Return(new HttpResponse { ContentLength = length, Body = Observable.Return<ReadOnlyMemory<byte>>(Encoding.ASCII.GetBytes(body)) }));

        http.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Run();

        Assert.Equal(ConnectionCloseReason.Reset, http.Closed?.Reason);
        Assert.DoesNotContain("abcdefg", http.Received, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_Head_SendsTheHeadersOfGetAndNoBody()
    {
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.Text("hello")));

        AssertHeadThenGet(http, headEnds: "Content-Length: 5\r\n\r\n", getEnds: "\r\n\r\nhello");
    }

    /// <summary>Sends HEAD then GET of the same resource, pipelined: both are answered, the HEAD's head ends with
    /// <paramref name="headEnds"/> and no body follows it, the whole ends with <paramref name="getEnds"/>.</summary>
    private static void AssertHeadThenGet(SimulatedHttp http, string headEnds, string getEnds)
    {
        http.Send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        string received = http.Run();

        Assert.Equal(["HTTP/1.1 200 OK", "HTTP/1.1 200 OK"], http.StatusLines());
        int second = received.IndexOf("HTTP/1.1", 5, StringComparison.Ordinal);
        Assert.EndsWith(headEnds, received[..second], StringComparison.Ordinal);
        Assert.EndsWith(getEnds, received, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_HeadOfAResponseOfUnknownLength_AnnouncesChunkedAsGetWouldAndSubscribesNoBody()
    {
        // RFC 9112 §6.1 lets a HEAD response carry the Transfer-Encoding a GET would get, and RFC 9110 §9.3.2 asks for
        // the same fields as GET: the framing is known without producing the body, so it is announced, and the body is
        // never subscribed (a client reads no body after a HEAD response, whatever its framing fields say).
        int subscriptions = 0;
        var http = new SimulatedHttp(_ => Observable.Return(new HttpResponse
        {
            Body = Observable.Defer(() =>
            {
                subscriptions++;
                return Observable.Return<ReadOnlyMemory<byte>>("streamed"u8.ToArray());
            }),
        }));

        AssertHeadThenGet(http, headEnds: "Transfer-Encoding: chunked\r\n\r\n", getEnds: "\r\n\r\n8\r\nstreamed\r\n0\r\n\r\n");
        Assert.Equal(1, subscriptions); // the GET's only
    }

    [Fact]
    public void Serve_ClientFinAfterPipelinedRequests_KeepsTheHandlerAndAnswersEveryRequestThenCloses()
    {
        // A FIN is a half-close: the client has sent everything and may still read, so the exchange in flight is not
        // disposed (only a reset or a full close is the client going away) and the requests before it are answered.
        var late = new System.Reactive.Subjects.Subject<HttpResponse>();
        bool disposed = false;
        var http = new SimulatedHttp(request => request.Path == "/slow"
            ? Observable.Create<HttpResponse>(observer =>
            {
                var answer = late.Subscribe(observer);
                return () =>
                {
                    disposed = true;
                    answer.Dispose();
                };
            })
            : Observable.Return(HttpResponse.Text(request.Path)));

        http.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Client.Output.OnCompleted();
        http.Run();
        Assert.False(disposed);
        Assert.False(http.InputEnded);

        late.OnNext(HttpResponse.Text("slow"));
        string received = http.Run();

        Assert.Equal(["HTTP/1.1 200 OK", "HTTP/1.1 200 OK"], http.StatusLines());
        int second = received.IndexOf("HTTP/1.1", 5, StringComparison.Ordinal);
        Assert.EndsWith("slow", received[..second], StringComparison.Ordinal);
        Assert.DoesNotContain("Connection: close", received[..second], StringComparison.Ordinal);
        Assert.Contains("Connection: close", received[second..], StringComparison.Ordinal); // nothing is buffered behind the last
        Assert.EndsWith("/next", received, StringComparison.Ordinal);
        Assert.True(http.InputEnded);
    }

    [Fact]
    public void Serve_Http10WithoutKeepAlive_AnswersAndCloses()
    {
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.Text("old")));

        http.Send("GET / HTTP/1.0\r\n\r\n");
        string received = http.Run();

        Assert.Contains("Connection: close", received, StringComparison.Ordinal);
        Assert.EndsWith("old", received, StringComparison.Ordinal);
        Assert.True(http.InputEnded);
    }

    [Fact]
    public void Serve_Http10BodyWithoutALength_SendsItUntilTheClose()
    {
        var http = new SimulatedHttp(_ => Observable.Return(new HttpResponse { Body = new[] { "a", "b" }.Select(s => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(s)).ToObservable() }));

        http.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        string received = http.Run();

        Assert.DoesNotContain("chunked", received, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nab", received, StringComparison.Ordinal);
        Assert.True(http.InputEnded);
    }

    [Fact]
    public void Serve_Http10WithKeepAlive_KeepsTheConnection()
    {
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.Text("old")));

        http.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        string received = http.Run();

        Assert.Contains("Connection: keep-alive", received, StringComparison.Ordinal);
        Assert.False(http.InputEnded);
    }

    [Fact]
    public void Serve_ConnectionCloseFromTheClient_AnswersWithConnectionCloseAndCloses()
    {
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.Text("bye")));

        http.Send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        string received = http.Run();

        Assert.Contains("Connection: close", received, StringComparison.Ordinal);
        Assert.True(http.InputEnded);
        Assert.Equal(ConnectionCloseReason.LocalClose, http.ServerSide is null ? null : LastReason(http));
    }

    [Fact]
    public void Serve_UnknownLengthBodyOnHttp11_IsSentChunked()
    {
        var http = new SimulatedHttp(_ => Observable.Return(new HttpResponse { Body = new[] { "ab", "c" }.Select(s => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(s)).ToObservable() }));

        http.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        string received = http.Run();

        Assert.EndsWith("Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n", received, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_MalformedRequest_Answers400LogsAndCloses()
    {
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.Text("never")));

        http.Send("GARBAGE\r\n\r\n");
        string received = http.Run();

        Assert.StartsWith("HTTP/1.1 400", received, StringComparison.Ordinal);
        Assert.True(http.InputEnded);
    }

    [Fact]
    public void Serve_ClientDisconnectsWhileTheHandlerWorks_DisposesTheHandlersSubscription()
    {
        bool disposed = false;
        var http = new SimulatedHttp(_ => Observable.Create<HttpResponse>(_ => () => disposed = true));

        http.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Run();
        Assert.False(disposed);
        http.Client.Dispose();
        http.Run();

        Assert.True(disposed);
    }

    [Fact]
    public void TaskHandler_ClientDisconnects_CancelsTheToken()
    {
        var scheduler = new Microsoft.Reactive.Testing.TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        CancellationToken seen = default;
        var never = new TaskCompletionSource<HttpResponse>();
        var server = new HttpServer((_, token) =>
        {
            seen = token;
            return never.Task;
        }, scheduler);
        var client = network.ConnectTo(server.Serve);

        client.Output.OnNext(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        scheduler.AdvanceBy(10 * Ms);
        Assert.False(seen.IsCancellationRequested);
        client.Dispose();
        scheduler.AdvanceBy(10 * Ms);

        Assert.True(seen.IsCancellationRequested);
    }

    [Fact]
    public void Serve_HandlerErrorsAfterItsResponse_SendsTheResponseAndKeepsTheConnection()
    {
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.Text("fine")).Concat(Observable.Throw<HttpResponse>(new InvalidOperationException("late"))));

        http.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Run();

        Assert.Equal(["HTTP/1.1 200 OK", "HTTP/1.1 200 OK"], http.StatusLines());
        Assert.False(http.InputEnded);
    }

    [Fact]
    public void Serve_HandlerSetsConnectionClose_ClosesAfterTheResponse()
    {
        var http = new SimulatedHttp(_ =>
        {
            var response = HttpResponse.Text("bye");
            response.Headers.Set("Connection", "close");
            return Observable.Return(response);
        });

        http.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Run();

        Assert.Single(http.StatusLines());
        Assert.True(http.InputEnded);
    }

    private static ConnectionCloseReason? LastReason(SimulatedHttp http)
    {
        ConnectionCloseReason? reason = null;
        http.ServerSide!.Closed.Subscribe(c => reason = c.Reason);
        return reason;
    }

    private sealed class TestSchedulerHolder(Microsoft.Reactive.Testing.TestScheduler scheduler)
    {
        public Microsoft.Reactive.Testing.TestScheduler Scheduler { get; } = scheduler;
    }
}
