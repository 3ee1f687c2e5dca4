using System.IO.Compression;
using System.Reactive.Linq;
using System.Text;

namespace RxNet.Http.Specs.Server;

/// <summary>The server's timeouts at exact virtual ticks (the link's latency is 1 ms each way), and response
/// compression through the engine.</summary>
public sealed class HttpServerTimingSpecs
{
    private const long Ms = SimulatedHttp.Ms;
    private const long Second = TimeSpan.TicksPerSecond;

    [Fact]
    public void HeadersTimeout_ClientSendingOneBytePerSecond_Gets408AtExactlyThirtySecondsAndIsClosed()
    {
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.Text("never")));
        string head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + new string('a', 100);
        for (int i = 0; i < head.Length; i++)
        {
            char c = head[i];
            http.Scheduler.ScheduleAbsolute(c, http.AcceptedAt + (i * Second), (_, ch) =>
            {
                http.Send(ch.ToString());
                return System.Reactive.Disposables.Disposable.Empty;
            });
        }

        http.Run(60 * Second);

        Assert.StartsWith("HTTP/1.1 408", http.Received, StringComparison.Ordinal);
        Assert.Equal(http.AcceptedAt + (30 * Second) + Ms, http.LastReceivedAt);
        Assert.True(http.InputEnded);
    }

    [Fact]
    public void KeepAliveTimeout_IdleAfterAResponse_ClosesQuietlyAtExactly130Seconds()
    {
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.Text("ok")));
        http.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");         // arrives at +1 ms and is answered at once

        http.Run(200 * Second);

        Assert.Single(http.StatusLines());
        Assert.Equal(http.AcceptedAt + Ms + (130 * Second) + Ms, http.InputEndedAt);
    }

    [Fact]
    public void KeepAliveTimeout_ANewRequestBeforeIt_KeepsTheConnection()
    {
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.Text("ok")));
        http.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Run(100 * Second);
        http.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Run(100 * Second);

        Assert.Equal(2, http.StatusLines().Count);
        Assert.False(http.InputEnded);
    }

    [Fact]
    public void RequestBodyRate_ClientSendsNoBodyWhileTheHandlerReads_Gets408AtTheGracePeriod()
    {
        var http = new SimulatedHttp(r => r.Body.ReadAllText().Select(t => HttpResponse.Text(t)));
        http.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");   // arrives at +1 ms; the server waits for the body from then

        http.Run(20 * Second);

        Assert.StartsWith("HTTP/1.1 408", http.Received, StringComparison.Ordinal);
        Assert.Equal(http.AcceptedAt + Ms + (5 * Second) + Ms, http.LastReceivedAt);
        Assert.True(http.InputEnded);
    }

    [Fact]
    public void RequestBodyRate_HandlerNeverReadsTheBody_IsNotTimed()
    {
        var http = new SimulatedHttp(_ => Observable.Never<HttpResponse>());
        http.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");

        http.Run(60 * Second);

        Assert.Equal("", http.Received);
        Assert.False(http.InputEnded);
    }

    [Fact]
    public void Upgrade_AfterTheHandover_NoServerTimeoutApplies()
    {
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.SwitchingProtocols("idle", _ => { })));
        http.Send("GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: idle\r\n\r\n");

        http.Run(1000 * Second);

        Assert.StartsWith("HTTP/1.1 101", http.Received, StringComparison.Ordinal);
        Assert.False(http.InputEnded);
    }

    [Fact]
    public void Compression_ClientAcceptsGzipAndTheHandlerAllowsIt_SendsTheBodyGzippedAndChunked()
    {
        string text = string.Concat(Enumerable.Repeat("compress me ", 200));
        var http = new SimulatedHttp(_ =>
        {
            var response = HttpResponse.Text(text);
            response.AllowCompression = true;
            return Observable.Return(response);
        });
        http.Send("GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n");

        string received = http.Run();

        Assert.Contains("Content-Encoding: gzip", received, StringComparison.Ordinal);
        int bodyAt = received.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        byte[] gzipped = Encoding.Latin1.GetBytes(SimulatedHttp.Dechunk(received, bodyAt));
        using var gzip = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        Assert.Equal(text, reader.ReadToEnd());
    }
}
