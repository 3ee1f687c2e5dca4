using System.Reactive.Linq;
using System.Text;

namespace RxNet.Http.Specs.Server;

/// <summary>The request body: read only when subscribed (the client is paused meanwhile), once, within its limit,
/// with <c>100 Continue</c> on the first read, and drained when the handler leaves it.</summary>
public sealed class RequestBodySpecs
{
    private const long Ms = SimulatedHttp.Ms;

    [Fact]
    public void Body_ReadByTheHandler_ArrivesWholeForBothFramings()
    {
        var http = new SimulatedHttp(r => r.Body.ReadAllText().Select(text => HttpResponse.Text($"{r.ContentLength}:{text}")));

        http.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        http.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
        string received = http.Run();

        Assert.Contains("\r\n\r\n5:hello", received, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n:abcde", received, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_NotReadByTheHandler_PausesTheClientAboveItsHighWaterMark()
    {
        var body = new TaskCompletionSource<HttpRequest>();
        var http = new SimulatedHttp(r =>
        {
            body.TrySetResult(r);
            return Observable.Never<HttpResponse>();
        }, HttpServerOptions.Default with { MaxRequestBodySize = null });
        const int Size = 4 * 1024 * 1024;

        http.Send($"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {Size}\r\n\r\n");
        var chunk = new byte[64 * 1024];
        for (int i = 0; i < Size / chunk.Length; i++)
            http.Client.Output.OnNext(chunk);
        http.Run(5000 * Ms);

        Assert.True(http.Client.Output.PendingBytes > ConnectionOptions.Default.HighWaterMark, $"{http.Client.Output.PendingBytes} bytes pending");
        Assert.True(http.Client.Output.PendingBytes > Size - (2 * 1024 * 1024), $"the server read {Size - http.Client.Output.PendingBytes} bytes it was not asked for");
    }

    [Fact]
    public void Body_ReadSlowlyThroughAnEcho_KeepsTheServerBufferBoundedAndEchoesEverything()
    {
        var http = new SimulatedHttp(r =>
        {
            r.MaxBodySize = null;
            return Observable.Return(new HttpResponse { Body = r.Body });
        });
        const int Size = 1024 * 1024;

        http.Send($"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: {Size}\r\n\r\n");
        var chunk = new byte[16 * 1024];
        Array.Fill(chunk, (byte)'e');
        for (int i = 0; i < Size / chunk.Length; i++)
            http.Client.Output.OnNext(chunk);
        http.Run(10_000 * Ms);

        string received = http.Received;
        Assert.Contains("Transfer-Encoding: chunked", received, StringComparison.Ordinal);
        string echoed = SimulatedHttp.Dechunk(received, received.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4);
        Assert.Equal(new string('e', Size), echoed);
        Assert.EndsWith("0\r\n\r\n", received, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_SubscribedTwice_FailsTheSecondSubscriber()
    {
        Exception? second = null;
        var http = new SimulatedHttp(r =>
        {
            r.Body.Subscribe(_ => { }, _ => { }, () => { });
            r.Body.Subscribe(_ => { }, e => second = e);
            return Observable.Return(HttpResponse.Status(204));
        });

        http.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab");
        http.Run();

        Assert.IsType<InvalidOperationException>(second);
    }

    [Fact]
    public void Body_LargerThanTheLimit_Gets413AndTheConnectionCloses()
    {
        var http = new SimulatedHttp(r => r.Body.ReadAllText().Select(t => HttpResponse.Text(t)), HttpServerOptions.Default with { MaxRequestBodySize = 4 });

        http.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        http.Run();

        Assert.Equal(["HTTP/1.1 413 Content Too Large"], http.StatusLines().Select(s => s.Replace("Payload Too Large", "Content Too Large", StringComparison.Ordinal)));
        Assert.True(http.InputEnded);
    }

    [Fact]
    public void Body_ChunkedAndLargerThanTheLimitTheHandlerSet_Gets413()
    {
        var http = new SimulatedHttp(r =>
        {
            r.MaxBodySize = 3;
            return r.Body.ReadAllText().Select(t => HttpResponse.Text(t));
        });

        http.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n");
        http.Run();

        Assert.Single(http.StatusLines());
        Assert.StartsWith("HTTP/1.1 413", http.StatusLines()[0], StringComparison.Ordinal);
        Assert.True(http.InputEnded);
    }

    [Fact]
    public void ExpectContinue_HandlerReadsTheBody_Sends100BeforeTheResponse()
    {
        var http = new SimulatedHttp(r => r.Body.ReadAllText().Select(t => HttpResponse.Text(t)));

        http.Send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        http.Run();
        Assert.Equal("HTTP/1.1 100 Continue\r\n\r\n", http.Received);
        http.Send("ok");
        http.Run();

        Assert.Equal(["HTTP/1.1 100 Continue", "HTTP/1.1 200 OK"], http.StatusLines());
        Assert.EndsWith("ok", http.Received, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectContinue_HandlerAnswersWithoutReading_SendsNo100AndClosesAfterTheResponse()
    {
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.Status(401)));

        http.Send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        http.Run();

        Assert.Single(http.StatusLines());
        Assert.StartsWith("HTTP/1.1 401", http.StatusLines()[0], StringComparison.Ordinal);
        Assert.Contains("Connection: close", http.Received, StringComparison.Ordinal);
        Assert.True(http.InputEnded);
    }

    [Fact]
    public void Body_LeftUnreadAndShort_IsDrainedAndTheNextRequestServed()
    {
        var http = new SimulatedHttp(r => Observable.Return(HttpResponse.Text(r.Path)));

        http.Send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        string received = http.Run();

        Assert.Equal(2, http.StatusLines().Count);
        Assert.EndsWith("/b", received, StringComparison.Ordinal);
        Assert.False(http.InputEnded);
    }

    [Fact]
    public void Body_LeftUnreadAndLongerThanTheDrainLimit_ClosesAfterTheResponse()
    {
        var http = new SimulatedHttp(r => Observable.Return(HttpResponse.Text(r.Path)), HttpServerOptions.Default with { MaxRequestBodyDrainSize = 3 });

        http.Send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        http.Run();

        Assert.Contains("Connection: close", http.Received, StringComparison.Ordinal);
        Assert.True(http.InputEnded);
    }

    [Fact]
    public void Body_ChunkedLeftUnreadPastTheDrainLimit_ClosesTheConnection()
    {
        var http = new SimulatedHttp(r => Observable.Return(HttpResponse.Text(r.Path)), HttpServerOptions.Default with { MaxRequestBodyDrainSize = 3 });

        http.Send("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        http.Run();

        Assert.Single(http.StatusLines());
        Assert.True(http.InputEnded);
    }
}
