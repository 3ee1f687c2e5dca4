using System.IO.Compression;
using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using CsCheck;
using RxNet.Http.Server.Compression;

namespace RxNet.Http.Specs.Server.Compression;

public sealed class ResponseCompressionSpecs
{
    private static readonly byte[] Text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("data: hello, compressed world\n\n", 200)));

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("br", "br")]
    [InlineData("gzip, br", "br")]
    public void Apply_ClientAcceptsACoding_SetsContentEncodingVaryAndDropsTheLength(string accept, string coding)
    {
        var response = Allowed(Text);
        response.Headers.Set("Content-Type", "text/plain");

        var sent = ResponseCompression.Apply(Get(accept), response);

        Assert.NotSame(response, sent);
        Assert.Equal(coding, sent.Headers["Content-Encoding"]);
        Assert.Equal("Accept-Encoding", sent.Headers["Vary"]);
        Assert.Equal("text/plain", sent.Headers["Content-Type"]);
        Assert.Null(sent.ContentLength);
        Assert.Equal(Text, Decompress(coding, Collect(sent.Body!)));
        Assert.True(Collect(sent.Body!).Sum(c => c.Length) < Text.Length / 4);
        // the handler's response is untouched, so it can be sent again to another client
        Assert.Null(response.Headers["Content-Encoding"]);
        Assert.Equal(Text.Length, response.ContentLength);
        Assert.Equal(Text, Collect(response.Body!).SelectMany(c => c).ToArray());
    }

    [Fact]
    public void Apply_AnyBytesInAnyChunking_DecompressToTheOriginal()
    {
        Gen.Select(Gen.Byte.Array[0, 3000], Gen.Int[1, 700], Gen.Bool, Gen.Bool).Sample((bytes, size, brotli, text) =>
        {
            if (text)
                bytes = [.. bytes.Select(b => (byte)('a' + (b % 4)))]; // compressible too
            string coding = brotli ? "br" : "gzip";
            var response = new HttpResponse { AllowCompression = true, Body = Chunking.Every(bytes, size).Select(c => (ReadOnlyMemory<byte>)c).ToObservable() };

            var sent = ResponseCompression.Apply(Get(coding), response);

            Assert.Equal(bytes, Decompress(coding, Collect(sent.Body!)));
        }, iter: 300);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public void CompressedBody_EachSourceChunk_CanBeDecodedAsSoonAsItIsSent(string coding)
    {
        var source = new Subject<ReadOnlyMemory<byte>>();
        var sent = ResponseCompression.Apply(Get(coding), new HttpResponse { AllowCompression = true, Body = source });
        var received = new List<byte[]>();
        using var subscription = sent.Body!.Subscribe(c => received.Add(c.ToArray()));
        var expected = new List<byte>();

        for (int i = 0; i < 5; i++)
        {
            byte[] evt = System.Text.Encoding.UTF8.GetBytes($"data: event {i}\n\n");
            source.OnNext(evt);
            expected.AddRange(evt);

            Assert.Equal(i + 1, received.Count); // one compressed chunk per event, nothing held back
            Assert.Equal(expected, DecompressPrefix(coding, received));
        }
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public void CompressedBody_PausableSource_StaysPausedWhileTheResultIsPaused(string coding)
    {
        var source = new FakeInput();
        var sent = ResponseCompression.Apply(Get(coding), new HttpResponse { AllowCompression = true, Body = source });
        var body = Assert.IsAssignableFrom<IPausableObservable<ReadOnlyMemory<byte>>>(sent.Body);
        var demand = new BehaviorSubject<bool>(true);
        var received = new List<byte[]>();
        bool completed = false;
        using var subscription = body.Subscribe(Observer.Create<ReadOnlyMemory<byte>>(c => received.Add(c.ToArray()), () => completed = true), demand);

        source.Receive(Text.AsMemory(0, 100));
        Assert.Single(received);

        demand.OnNext(false);
        Assert.True(source.IsPaused);
        source.Receive(Text.AsMemory(100, 100));
        source.Receive(Text.AsMemory(200, 100));
        source.End();
        Assert.True(source.IsPaused);
        Assert.Single(received); // nothing read, nothing compressed

        demand.OnNext(true);
        Assert.False(source.IsPaused);
        Assert.True(completed);
        Assert.Equal(Text[..300], Decompress(coding, received));
    }

    [Fact]
    public void Compress_PlainSource_GivesAPlainObservableThatTheServerBounds()
    {
        var body = ResponseCompression.Compress(Observable.Return<ReadOnlyMemory<byte>>(Text), ContentCoding.Gzip);

        Assert.False(body is IPausableObservable<ReadOnlyMemory<byte>>);
        Assert.IsAssignableFrom<IConnectionInput>(ResponseCompression.Compress(new FakeInput(), ContentCoding.Gzip));
    }

    [Fact]
    public void CompressedBody_SourceFails_TheErrorPassesThroughAfterWhatWasSent()
    {
        var error = new IOException("the handler's file broke");
        var source = Observable.Return<ReadOnlyMemory<byte>>(Text).Concat(Observable.Throw<ReadOnlyMemory<byte>>(error));
        var sent = ResponseCompression.Apply(Get("br"), new HttpResponse { AllowCompression = true, Body = source });
        var received = new List<byte[]>();
        Exception? failed = null;

        using var subscription = sent.Body!.Subscribe(c => received.Add(c.ToArray()), e => failed = e);

        Assert.Same(error, failed);
        Assert.Equal(Text, DecompressPrefix("br", received));
    }

    [Fact]
    public void CompressedBody_Disposed_UnsubscribesTheSourceAndSendsNothingMore()
    {
        var source = new FakeInput();
        var sent = ResponseCompression.Apply(Get("gzip"), new HttpResponse { AllowCompression = true, Body = source });
        var received = new List<byte[]>();
        var subscription = sent.Body!.Subscribe(c => received.Add(c.ToArray()));
        source.Receive(Text.AsMemory(0, 10));

        subscription.Dispose();
        source.Receive(Text.AsMemory(10, 10));

        Assert.False(source.IsSubscribed);
        Assert.Equal(1, source.UnsubscribeCount);
        Assert.Single(received);
    }

    [Fact]
    public void CompressedBody_SubscribedTwice_CompressesIndependentlyEachTime()
    {
        var sent = ResponseCompression.Apply(Get("gzip"), Allowed(Text));

        Assert.Equal(Text, Decompress("gzip", Collect(sent.Body!)));
        Assert.Equal(Text, Decompress("gzip", Collect(sent.Body!)));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public void CompressedBody_EmptySource_IsAValidEmptyStream(string coding)
    {
        var sent = ResponseCompression.Apply(Get(coding), new HttpResponse { AllowCompression = true, Body = Observable.Empty<ReadOnlyMemory<byte>>() });

        var chunks = Collect(sent.Body!);

        Assert.NotEmpty(chunks); // the compressors alone write nothing, which a client reads as a truncated stream
        Assert.Empty(Decompress(coding, chunks));
    }

    public static TheoryData<string, Func<HttpResponse, HttpResponse>, string> NotApplied => new()
    {
        { "no AllowCompression", r => { r.AllowCompression = false; return r; }, "GET" },
        { "HEAD", r => r, "HEAD" },
        { "204", r => { r.StatusCode = 204; return r; }, "GET" },
        { "304", r => { r.StatusCode = 304; return r; }, "GET" },
        { "1xx", r => { r.StatusCode = 103; return r; }, "GET" },
        { "206", r => { r.StatusCode = 206; return r; }, "GET" },
        { "Content-Range", r => { r.Headers.Set("Content-Range", "bytes 0-9/100"); return r; }, "GET" },
        { "already encoded", r => { r.Headers.Set("Content-Encoding", "gzip"); return r; }, "GET" },
        { "no body", r => { r.Body = null; r.ContentLength = null; return r; }, "GET" },
        { "empty body", r => { r.ContentLength = 0; return r; }, "GET" },
    };

    [Theory]
    [MemberData(nameof(NotApplied))]
    public void Apply_ResponseThatMustNotBeCompressed_IsReturnedAsItIs(string why, Func<HttpResponse, HttpResponse> change, string method)
    {
        var response = change(Allowed(Text));
        var headersBefore = response.Headers.ToList();
        var body = response.Body;

        var sent = ResponseCompression.Apply(Get("gzip, br", method), response);

        Assert.True(ReferenceEquals(response, sent), why);
        Assert.Equal(headersBefore, sent.Headers);
        Assert.Same(body, sent.Body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("identity")]
    [InlineData("gzip;q=0, br;q=0")]
    public void Apply_ClientAcceptsNoCoding_SendsTheSameBodyWithVary(string? accept)
    {
        var response = Allowed(Text);

        var sent = ResponseCompression.Apply(Get(accept), response);

        Assert.Null(sent.Headers["Content-Encoding"]);
        Assert.Equal("Accept-Encoding", sent.Headers["Vary"]);
        Assert.Equal(Text.Length, sent.ContentLength);
        Assert.Same(response.Body, sent.Body);
        Assert.Null(response.Headers["Vary"]);
    }

    [Theory]
    [InlineData("Accept-Encoding", new[] { "Accept-Encoding" })]
    [InlineData("origin, accept-encoding", new[] { "origin, accept-encoding" })]
    [InlineData("*", new[] { "*" })]
    [InlineData("Origin", new[] { "Origin", "Accept-Encoding" })]
    public void Apply_ResponseWithVary_AddsAcceptEncodingOnlyWhenMissing(string vary, string[] expected)
    {
        var response = Allowed(Text);
        response.Headers.Set("Vary", vary);

        var sent = ResponseCompression.Apply(Get("gzip"), response);

        Assert.Equal(expected, sent.Headers.GetValues("Vary"));
    }

    [Theory]
    [InlineData("\"v1\"", "W/\"v1\"")]
    [InlineData("W/\"v1\"", "W/\"v1\"")]
    public void Apply_Compressed_MakesAStrongETagWeak(string etag, string expected)
    {
        var response = Allowed(Text);
        response.Headers.Set("ETag", etag);

        var sent = ResponseCompression.Apply(Get("br"), response);

        Assert.Equal(expected, sent.Headers["ETag"]);
    }

    private static HttpRequest Get(string? acceptEncoding, string method = "GET")
    {
        var headers = new HttpHeaders().Add("Host", "example.com");
        if (acceptEncoding is not null)
            headers.Add("Accept-Encoding", acceptEncoding);
        return new HttpRequest(method, "/", headers);
    }

    private static HttpResponse Allowed(byte[] body)
    {
        var response = HttpResponse.Bytes(body, "application/octet-stream");
        response.AllowCompression = true;
        return response;
    }

    private static List<byte[]> Collect(IObservable<ReadOnlyMemory<byte>> body)
    {
        var chunks = new List<byte[]>();
        bool completed = false;
        using (body.Subscribe(c => chunks.Add(c.ToArray()), () => completed = true))
            Assert.True(completed);
        Assert.All(chunks, c => Assert.NotEmpty(c));
        return chunks;
    }

    private static byte[] Decompress(string coding, IEnumerable<byte[]> chunks)
    {
        using var compressed = new MemoryStream([.. chunks.SelectMany(c => c)]);
        using Stream decoder = coding == "br" ? new BrotliStream(compressed, CompressionMode.Decompress) : new GZipStream(compressed, CompressionMode.Decompress);
        using var plain = new MemoryStream();
        decoder.CopyTo(plain);
        return plain.ToArray();
    }

    /// <summary>What a client decodes from the bytes received so far, the stream not being finished.</summary>
    private static byte[] DecompressPrefix(string coding, IEnumerable<byte[]> chunks)
    {
        using var compressed = new MemoryStream([.. chunks.SelectMany(c => c)]);
        using Stream decoder = coding == "br" ? new BrotliStream(compressed, CompressionMode.Decompress) : new GZipStream(compressed, CompressionMode.Decompress);
        var plain = new List<byte>();
        var buffer = new byte[256];
        try
        {
            int read;
            while ((read = decoder.Read(buffer)) > 0)
                plain.AddRange(buffer.AsSpan(0, read));
        }
        catch (InvalidDataException)
        {
            // a truncated stream: what was decoded before is what a streaming client has
        }
        return [.. plain];
    }
}
