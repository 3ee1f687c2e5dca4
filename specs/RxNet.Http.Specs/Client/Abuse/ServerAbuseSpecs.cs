using System.Reactive.Subjects;
using System.Text;

namespace RxNet.Http.Specs.Client.Abuse;

/// <summary>
/// The agent against abusive servers on the simulated network, in virtual time: endless headers, a body longer than
/// its Content-Length, a chunk size that overflows, a response that never ends under a body limit, and a gibibyte
/// read slowly. Each is a typed error on its exchange (or, for the gibibyte, a bounded client), the connection is
/// closed, and the pool's counters come back to zero. The link's latency is 1 ms each way.
/// </summary>
public sealed class ServerAbuseSpecs
{
    private const long Ms = RawServer.Ms;
    private const long Second = TimeSpan.TicksPerSecond;
    private const string Idle = "open 0 (idle 0, in use 0), connecting 0, waiting 0";

    [Fact]
    public void EndlessHeaders_OneKibibyteFieldEveryMillisecond_FailsWithHeadersTooLarge502AndClosesTheConnection()
    {
        var line = Encoding.ASCII.GetBytes("X-Pad: " + new string('a', 1017) + "\r\n");
        using var run = new RawServer((s, c) =>
        {
            s.Write(c, "HTTP/1.1 200 OK\r\n");
            s.Every(c, Ms, () => line);
        });

        var x = run.Get();
        run.Run(10 * Second);

        var error = Assert.IsType<HttpProtocolException>(x.Error);
        Assert.Equal(HttpProtocolError.HeadersTooLarge, error.Error);
        Assert.Equal(502, error.StatusCode);
        Assert.Null(x.Response);
        Assert.Equal(1, run.ClosedConnections);
        // The client stopped at its 64 KiB limit; the server's writes stopped with the close, a few round trips later.
        long limit = HttpAgentOptions.Default.MaxResponseHeadersTotalSize;
        Assert.InRange(run.BytesWritten, limit, limit + (8 * line.Length));
        Assert.Equal(Idle, run.Pool);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BodyLongerThanItsContentLength_InTheSameWriteOrWhilePooled_TheBodyIsItsLengthAndTheRestNeverAResponse(bool sameWrite)
    {
        const string Hello = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        const string Forged = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged";
        using var run = new RawServer((s, c) =>
        {
            s.Write(c, sameWrite ? Hello + Forged : Hello);
            if (!sameWrite)
                s.Every(c, 10 * Ms, () => Encoding.ASCII.GetBytes(Forged)); // while the pool holds the connection
        });

        var first = run.Get("/first");
        run.Run(Second);
        var second = run.Get("/second");
        run.Run(Second);

        Assert.Equal("hello", first.BodyStart);
        Assert.True(first.BodyCompleted);
        // The bytes past the length are not a response to the next request: that connection is not used again, and the
        // next request gets a fresh connection's answer, never "forged".
        Assert.Null(second.Failure);
        Assert.Equal("hello", second.BodyStart);
        Assert.Equal(2, run.Connections);
        run.Agent.Dispose();
        run.Run(Second);
        Assert.Equal(run.Connections, run.ClosedConnections);
        Assert.Equal(Idle, run.Pool);
    }

    [Fact]
    public void ChunkSizeThatOverflows_SeventeenHexDigits_FailsTheBodyWithInvalidChunk502AndClosesTheConnection()
    {
        using var run = new RawServer((s, c) => s.Write(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n10000000000000000\r\n"));

        var x = run.Get();
        run.Run(Second);

        Assert.Equal(200, x.Response!.StatusCode);
        var error = Assert.IsType<HttpProtocolException>(x.BodyError);
        Assert.Equal(HttpProtocolError.InvalidChunk, error.Error);
        Assert.Equal(502, error.StatusCode);
        Assert.Contains("overflow", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, run.ClosedConnections);
        Assert.Equal(Idle, run.Pool);
    }

    public static TheoryData<string> EndlessFramings => new()
    {
        "",                                              // until the close
        "Transfer-Encoding: chunked\r\n",
        "Content-Length: 1099511627776\r\n",            // a tebibyte, announced
    };

    [Theory]
    [MemberData(nameof(EndlessFramings))]
    public void ResponseThatNeverEnds_UnderAOneMebibyteBodyLimit_FailsWithBodyTooLarge502AndClosesTheConnection(string framing)
    {
        const long Limit = 1024 * 1024;
        const int Slice = 16 * 1024;
        bool chunked = framing.StartsWith("Transfer", StringComparison.Ordinal);
        byte[] slice = Encoding.ASCII.GetBytes(chunked ? $"{Slice - 8:x}\r\n{new string('z', Slice - 8)}\r\n" : new string('z', Slice));
        using var run = new RawServer((s, c) =>
        {
            s.Write(c, $"HTTP/1.1 200 OK\r\n{framing}\r\n");
            s.Every(c, Ms, () => slice);
        }, HttpAgentOptions.Default with { MaxResponseBodySize = Limit });

        var x = run.Get();
        run.Run(10 * Second);

        var error = Assert.IsType<HttpProtocolException>(x.Failure);
        Assert.Equal(HttpProtocolError.BodyTooLarge, error.Error);
        Assert.Equal(502, error.StatusCode);
        Assert.True(x.BodyBytes <= Limit, $"the caller got {x.BodyBytes} bytes of a body limited to {Limit}");
        Assert.Equal(1, run.ClosedConnections);
        // The client stopped reading at its limit (or before, on an announced length over it); the server's writes
        // stopped with the close, a few round trips later.
        Assert.True(run.BytesWritten <= Limit + (8 * Slice), $"the server could write {run.BytesWritten} bytes");
        Assert.Equal(Idle, run.Pool);
    }

    [Fact]
    public void OneGibibyteBody_ReadOneMillisecondInFour_ArrivesWholeAndInOrderWhileTheBytesInFlightStayUnderAQuarterMebibyte()
    {
        const long GiB = 1L << 30;
        const long Bound = 256 * 1024; // measured: 128 KiB, the receive window and one slice of the server
        string head = $"HTTP/1.1 200 OK\r\nContent-Length: {GiB}\r\n\r\n";
        using var run = new RawServer((s, c) =>
        {
            s.Write(c, head);
            s.Stream(c, GiB, 64 * 1024);
        });
        var reading = new BehaviorSubject<bool>(true);
        long worst = 0, mismatchAt = -1;
        var x = run.Send(new HttpRequest("GET", "http://server/big"), readBody: false);
        run.Run(10 * Ms);
        x.Read(x.Response!.Body!, reading, chunk =>
        {
            if (mismatchAt < 0 && !Server.PatternedBody.Matches(chunk.Span, x.BodyBytes - chunk.Length))
                mismatchAt = x.BodyBytes - chunk.Length;
            // What the server produced and the caller has not received is in the network or held by the client.
            worst = Math.Max(worst, run.BytesWritten - head.Length - x.BodyBytes);
        });

        for (long t = 0; t < 3600 * Second && !x.BodyCompleted && x.Failure is null; t += 4 * Ms)
        {
            reading.OnNext(true);
            run.Run(Ms);
            reading.OnNext(false);
            run.Run(3 * Ms);
        }

        Assert.Null(x.Failure);
        Assert.True(x.BodyCompleted);
        Assert.Equal(GiB, x.BodyBytes);
        Assert.Equal(-1, mismatchAt);
        Assert.True(worst <= Bound, $"{worst} bytes were in flight or held by the client at once (bound {Bound})");
        Assert.Equal("open 1 (idle 1, in use 0), connecting 0, waiting 0", run.Pool);
        run.Agent.Dispose();
        run.Run(Second);
        Assert.Equal(Idle, run.Pool);
    }
}
