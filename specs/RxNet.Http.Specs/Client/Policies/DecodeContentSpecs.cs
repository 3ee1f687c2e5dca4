using System.IO.Compression;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text;

namespace RxNet.Http.Specs.Client.Policies;

public sealed class DecodeContentSpecs
{
    private static readonly byte[] Text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 3000).Select(i => $"line {i} of a body that compresses well\n")));

    public static TheoryData<string> Codings => ["gzip", "x-gzip", "deflate", "raw-deflate", "br"];

    internal static byte[] Compress(byte[] data, string coding)
    {
        var output = new MemoryStream();
        using (Stream compressor = coding switch
        {
            "gzip" or "x-gzip" => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true),
            "raw-deflate" => new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true),
            "br" => new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true),
            _ => throw new ArgumentException(coding, nameof(coding)),
        })
        {
            compressor.Write(data);
        }
        return output.ToArray();
    }

    private static HttpResponse Encoded(byte[] body, string contentEncoding, int chunkSize = int.MaxValue)
    {
        var response = new HttpResponse { Body = new TrackedBody(body, chunkSize), ContentLength = body.Length };
        response.Headers.Set("Content-Encoding", contentEncoding).Set("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set("Content-Type", "text/plain");
        return response;
    }

    private static HttpResponse Receive(IHttpAgent agent, string method = "GET")
    {
        HttpResponse? response = null;
        agent.Send(new HttpRequest(method, "http://example.com/")).Subscribe(r => response = r);
        return response!;
    }

    private static (byte[] Body, Exception? Error, int Chunks) Read(HttpResponse response)
    {
        var body = new List<byte>();
        Exception? error = null;
        int chunks = 0;
        response.Body!.Subscribe(c =>
        {
            chunks++;
            body.AddRange(c.ToArray());
        }, e => error = e);
        return ([.. body], error, chunks);
    }

    [Fact]
    public void Request_WithoutAcceptEncoding_OffersGzipDeflateAndBr()
    {
        var agent = new FakeAgent(_ => new HttpResponse(204));

        Receive(agent.DecodeContent());

        Assert.Equal("gzip, deflate, br", agent.Sent[0].Headers["Accept-Encoding"]);
    }

    [Fact]
    public void Request_WithItsOwnAcceptEncoding_KeepsIt()
    {
        var agent = new FakeAgent(_ => new HttpResponse(204));
        var request = new HttpRequest("GET", "http://example.com/");
        request.Headers.Set("Accept-Encoding", "identity");

        agent.DecodeContent().Send(request).Subscribe();

        Assert.Equal("identity", agent.Sent[0].Headers["Accept-Encoding"]);
    }

    [Theory]
    [MemberData(nameof(Codings))]
    public void Decode_AtEveryChunkSize_GivesTheOriginalBytes(string coding)
    {
        byte[] compressed = Compress(Text, coding);
        string header = coding == "raw-deflate" ? "deflate" : coding;
        foreach (int size in (int[])[1, 2, 3, 7, 100, 4096, compressed.Length])
        {
            var agent = new FakeAgent(_ => Encoded(compressed, header, size));

            var response = Receive(agent.DecodeContent());
            var (body, error, _) = Read(response);

            Assert.Null(error);
            Assert.Equal(Text, body);
            Assert.False(response.Headers.Contains("Content-Encoding"));
            Assert.False(response.Headers.Contains("Content-Length"));
            Assert.Null(response.ContentLength);
            Assert.Equal("text/plain", response.Headers["Content-Type"]);
        }
    }

    [Fact]
    public void Decode_LayeredCodings_AreUndoneFromTheLast()
    {
        byte[] twice = Compress(Compress(Text, "gzip"), "br");
        var agent = new FakeAgent(_ => Encoded(twice, "gzip, br", 50));

        var (body, error, _) = Read(Receive(agent.DecodeContent()));

        Assert.Null(error);
        Assert.Equal(Text, body);
    }

    [Fact]
    public void Decode_UnknownOuterCoding_LeavesTheResponseAsItIs()
    {
        byte[] gzip = Compress(Text, "gzip");
        var agent = new FakeAgent(_ => Encoded(gzip, "gzip, zstd"));

        var response = Receive(agent.DecodeContent());

        Assert.Equal("gzip, zstd", response.Headers["Content-Encoding"]);
        Assert.Equal(gzip, Read(response).Body);
    }

    [Fact]
    public void Decode_UnknownInnerCoding_UndoesTheKnownOuterOneAndKeepsTheRest()
    {
        byte[] inner = Encoding.ASCII.GetBytes("compressed by something else");
        var agent = new FakeAgent(_ => Encoded(Compress(inner, "gzip"), "zstd, gzip"));

        var response = Receive(agent.DecodeContent());

        Assert.Equal("zstd", response.Headers["Content-Encoding"]);
        Assert.Equal(inner, Read(response).Body);
    }

    [Theory]
    [InlineData("HEAD", 200)]
    [InlineData("GET", 204)]
    [InlineData("GET", 304)]
    public void Decode_ResponseWithoutABody_IsLeftAsItIs(string method, int status)
    {
        var agent = new FakeAgent(_ =>
        {
            var response = new HttpResponse(status) { Body = status == 200 ? new TrackedBody("") : null };
            response.Headers.Set("Content-Encoding", "gzip");
            return response;
        });

        var response = Receive(agent.DecodeContent(), method);

        Assert.Equal("gzip", response.Headers["Content-Encoding"]);
    }

    [Fact]
    public void Decode_ZipBomb_StopsAtTheLimitHavingInflatedAtMostOneBytePastIt()
    {
        const long limit = 1024 * 1024;
        byte[] bomb = Compress(new byte[64 * 1024 * 1024], "gzip"); // 64 MiB of zeros in about 64 KiB
        var source = new Subject<ReadOnlyMemory<byte>>();
        var agent = new FakeAgent(_ => new HttpResponse { Body = source }.With("Content-Encoding", "gzip"));
        var response = Receive(agent.DecodeContent(limit));
        long delivered = 0;
        Exception? error = null;
        response.Body!.Subscribe(c => delivered += c.Length, e => error = e);

        int sent = 0;
        for (; sent < bomb.Length && source.HasObservers; sent += 1024)
            source.OnNext(bomb.AsMemory(sent, Math.Min(1024, bomb.Length - sent)));

        var e = Assert.IsType<HttpProtocolException>(error);
        Assert.Equal(HttpProtocolError.DecodedBodyTooLarge, e.Error);
        Assert.Equal(limit, delivered);    // every byte up to the limit was delivered, not one more
        Assert.True(sent < bomb.Length / 16, $"{sent} of {bomb.Length} compressed bytes were read"); // the rest was never read
    }

    [Fact]
    public void Decode_ZipBomb_InflatesNoMoreThanTheLimitPlusOneByte()
    {
        const long limit = 100_000;
        byte[] bomb = Compress(new byte[16 * 1024 * 1024], "deflate");
        var source = new Subject<ReadOnlyMemory<byte>>();
        var observer = new Recorder();
        var sink = new RxNet.Http.Client.Policies.Internal.DecodingSink(observer, ["deflate"], limit, () => { });
        sink.SetUpstream(source.Subscribe(sink));

        source.OnNext(bomb); // the whole bomb in one chunk

        Assert.IsType<HttpProtocolException>(observer.Error);
        Assert.Equal(limit + 1, sink.Decoded);
        Assert.False(source.HasObservers);
    }

    [Fact]
    public void Decode_CorruptData_FailsWithInvalidContentEncoding()
    {
        byte[] gzip = Compress(Text, "gzip");
        gzip[20] ^= 0xFF;
        gzip[21] ^= 0xFF;
        var agent = new FakeAgent(_ => Encoded(gzip, "gzip"));

        var (_, error, _) = Read(Receive(agent.DecodeContent()));

        Assert.Equal(HttpProtocolError.InvalidContentEncoding, Assert.IsType<HttpProtocolException>(error).Error);
    }

    [Fact]
    public void Decode_PausableSource_GivesAPausableBodyThatStopsMidChunkAndPassesTheDemandOn()
    {
        byte[] compressed = Compress(new byte[200 * 1024], "gzip"); // one small chunk that inflates to 13 pieces
        var source = new PausableSource();
        var agent = new FakeAgent(_ =>
        {
            var response = new HttpResponse { Body = source };
            response.Headers.Set("Content-Encoding", "gzip");
            return response;
        });
        var response = Receive(agent.DecodeContent());
        var pausable = Assert.IsAssignableFrom<IPausableObservable<ReadOnlyMemory<byte>>>(response.Body);
        var demand = new BehaviorSubject<bool>(true);
        int pieces = 0;
        bool completed = false;
        pausable.Subscribe(System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(_ =>
        {
            if (++pieces == 2)
                demand.OnNext(false); // the consumer is full after two pieces
        }, () => completed = true), demand);

        source.Push(compressed);
        Assert.Equal(2, pieces);
        Assert.False(source.Demand[^1]);

        demand.OnNext(true);
        source.Complete();

        Assert.Equal((200 * 1024 + DecodingSinkPieceSize - 1) / DecodingSinkPieceSize, pieces);
        Assert.True(completed);
        Assert.True(source.Demand[^1]);
    }

    private const int DecodingSinkPieceSize = RxNet.Http.Client.Policies.Internal.DecodingSink.PieceSize;

    [Fact]
    public void Decode_BodyWithTrailers_CopiesThemToTheDecodedResponseAtTheEnd()
    {
        byte[] compressed = Compress(Text, "gzip");
        var original = new HttpResponse().With("Content-Encoding", "gzip");
        original.Body = Observable.Create<ReadOnlyMemory<byte>>(o =>
        {
            o.OnNext(compressed);
            original.Trailers.Add("Checksum", "abc"); // an agent fills the trailers as the body ends
            o.OnCompleted();
            return System.Reactive.Disposables.Disposable.Empty;
        });

        var response = Receive(new ReturningAgent(original).DecodeContent());
        Assert.Equal(0, response.Trailers.Count);
        Read(response);

        Assert.Equal("abc", response.Trailers["Checksum"]);
    }

    private sealed class ReturningAgent(HttpResponse response) : IHttpAgent
    {
        public System.Reactive.Concurrency.IScheduler Scheduler => System.Reactive.Concurrency.ImmediateScheduler.Instance;

        public IObservable<HttpResponse> Send(HttpRequest request) => Observable.Return(response);
    }

    private sealed class Recorder : IObserver<ReadOnlyMemory<byte>>
    {
        public long Bytes { get; private set; }

        public Exception? Error { get; private set; }

        public void OnNext(ReadOnlyMemory<byte> value) => Bytes += value.Length;

        public void OnError(Exception error) => Error = error;

        public void OnCompleted()
        {
        }
    }
}

internal static class ResponseExtensions
{
    public static HttpResponse With(this HttpResponse response, string name, string value)
    {
        response.Headers.Set(name, value);
        return response;
    }
}
