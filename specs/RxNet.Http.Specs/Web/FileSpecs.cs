using System.Reactive.Subjects;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Http.Web;

namespace RxNet.Http.Specs.Web;

public sealed class FileSpecs : IDisposable
{
    private const string Digits = "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("rxnet-web-file-");
    private readonly DirectoryInfo _outside = Directory.CreateTempSubdirectory("rxnet-web-outside-");
    private readonly Site _site;

    public FileSpecs()
    {
        System.IO.File.WriteAllText(Path.Combine(_root.FullName, "digits.txt"), Digits);
        System.IO.File.WriteAllText(Path.Combine(_root.FullName, "page.html"), "<p>hi</p>");
        System.IO.File.WriteAllText(Path.Combine(_root.FullName, "blob.unknownext"), "?");
        Directory.CreateDirectory(Path.Combine(_root.FullName, "docs"));
        System.IO.File.WriteAllText(Path.Combine(_root.FullName, "docs", "index.html"), "<h1>docs</h1>");
        Directory.CreateDirectory(Path.Combine(_root.FullName, "empty dir"));
        System.IO.File.WriteAllText(Path.Combine(_root.FullName, "empty dir", "a&b.txt"), "ab");
        System.IO.File.WriteAllText(Path.Combine(_outside.FullName, "secret.txt"), "secret");
        System.IO.File.CreateSymbolicLink(Path.Combine(_root.FullName, "out.txt"), Path.Combine(_outside.FullName, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_root.FullName, "outdir"), _outside.FullName);
        System.IO.File.CreateSymbolicLink(Path.Combine(_root.FullName, "in.txt"), "digits.txt");
        _site = new Site(new RxNet.Http.Web.File(_root.FullName), new TestScheduler());
    }

    public void Dispose()
    {
        _root.Delete(recursive: true);
        _outside.Delete(recursive: true);
    }

    private WebExchange Get(string target, params (string Name, string Value)[] fields) => Send("GET", target, fields);

    private WebExchange Send(string method, string target, params (string Name, string Value)[] fields)
    {
        var headers = new HttpHeaders();
        foreach (var (name, value) in fields)
            headers.Add(name, value);
        return WebExchange.Send(_site, method, target, headers);
    }

    [Fact]
    public void Get_File_SendsItWithTypeLengthLastModifiedETagAndAcceptRanges()
    {
        var exchange = Get("/digits.txt");

        Assert.Equal(200, exchange.Status);
        Assert.Equal(Digits, exchange.Text);
        Assert.Equal(100, exchange.Response!.ContentLength);
        Assert.Equal("text/plain", exchange.Header("Content-Type"));
        Assert.Equal("bytes", exchange.Header("Accept-Ranges"));
        Assert.NotNull(exchange.Header("ETag"));
        var modified = DateTimeOffset.Parse(exchange.Header("Last-Modified")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(modified - System.IO.File.GetLastWriteTimeUtc(Path.Combine(_root.FullName, "digits.txt")), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.True(exchange.Completed);
    }

    [Theory]
    [InlineData("/page.html", "text/html")]
    [InlineData("/blob.unknownext", "application/octet-stream")]
    public void Get_ContentType_ByExtensionElseTheDefault(string target, string type) =>
        Assert.Equal(type, Get(target).Header("Content-Type"));

    [Fact]
    public void Get_File_IsStreamedInChunksAtTheClientsPace()
    {
        ((RxNet.Http.Web.File)_site.Resource).ChunkSize = 10;
        var demand = new BehaviorSubject<bool>(true);
        var exchange = WebExchange.Send(_site, "GET", "/digits.txt", demand: demand, onChunk: e =>
        {
            if (e.Chunks == 4)
                demand.OnNext(false);
        });

        Assert.Equal((4, 40), (exchange.Chunks, exchange.Body.Length));        // held while the client does not read
        demand.OnNext(true);
        Assert.Equal((10, Digits), (exchange.Chunks, exchange.Text));
        Assert.True(exchange.Completed);
    }

    [Fact]
    public void Head_File_SendsTheHeadersOfTheGetWithoutABody()
    {
        var exchange = Send("HEAD", "/digits.txt");

        Assert.Equal(200, exchange.Status);
        Assert.Equal(100, exchange.Response!.ContentLength);
        Assert.Null(exchange.Response.Body);
        Assert.Equal("text/plain", exchange.Header("Content-Type"));
    }

    [Theory]
    [InlineData("bytes=0-9", "bytes 0-9/100", "0123456789")]
    [InlineData("bytes=95-", "bytes 95-99/100", "56789")]
    [InlineData("bytes=-3", "bytes 97-99/100", "789")]
    [InlineData("bytes=98-500", "bytes 98-99/100", "89")]
    [InlineData("bytes=-500", "bytes 0-99/100", Digits)]
    public void Get_OneRange_Is206WithContentRange(string range, string contentRange, string body)
    {
        var exchange = Get("/digits.txt", ("Range", range));

        Assert.Equal(206, exchange.Status);
        Assert.Equal(contentRange, exchange.Header("Content-Range"));
        Assert.Equal(body, exchange.Text);
        Assert.Equal(body.Length, exchange.Response!.ContentLength);
    }

    [Fact]
    public void Get_SeveralRanges_Is206MultipartByteranges()
    {
        var exchange = Get("/digits.txt", ("Range", "bytes=0-1, 10-12,500-600"));

        Assert.Equal(206, exchange.Status);
        string type = exchange.Header("Content-Type")!;
        Assert.StartsWith("multipart/byteranges; boundary=", type, StringComparison.Ordinal);
        string boundary = type["multipart/byteranges; boundary=".Length..];
        Assert.Equal(
            $"\r\n--{boundary}\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/100\r\n\r\n01" +
            $"\r\n--{boundary}\r\nContent-Type: text/plain\r\nContent-Range: bytes 10-12/100\r\n\r\n012" +
            $"\r\n--{boundary}--\r\n", exchange.Text);
        Assert.Equal(exchange.Body.Length, exchange.Response!.ContentLength);
    }

    [Theory]
    [InlineData("bytes=100-")]
    [InlineData("bytes=200-300")]
    [InlineData("bytes=-0")]
    [InlineData("bytes=100-101,200-")]
    public void Get_RangesThatMissTheFile_Is416WithTheLength(string range)
    {
        var exchange = Get("/digits.txt", ("Range", range));

        Assert.Equal(416, exchange.Status);
        Assert.Equal("bytes */100", exchange.Header("Content-Range"));
        Assert.Empty(exchange.Body);
    }

    [Theory]
    [InlineData("bytes=5-2")]
    [InlineData("bytes=x-3")]
    [InlineData("lines=0-1")]
    [InlineData("bytes=-")]
    [InlineData("bytes=")]
    public void Get_MalformedRange_IsIgnored(string range)
    {
        var exchange = Get("/digits.txt", ("Range", range));

        Assert.Equal((200, Digits), (exchange.Status, exchange.Text));
    }

    [Fact]
    public void Get_IfModifiedSinceNotOlder_Is304WithoutBody()
    {
        string lastModified = Get("/digits.txt").Header("Last-Modified")!;

        var same = Get("/digits.txt", ("If-Modified-Since", lastModified));
        var older = Get("/digits.txt", ("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"));

        Assert.Equal(304, same.Status);
        Assert.Null(same.Response!.Body);
        Assert.Equal(200, older.Status);
    }

    [Fact]
    public void Get_IfNoneMatch_Is304WhenTheTagMatchesAndBeatsIfModifiedSince()
    {
        string etag = Get("/digits.txt").Header("ETag")!;

        Assert.Equal(304, Get("/digits.txt", ("If-None-Match", $"\"other\", W/{etag}")).Status);
        Assert.Equal(304, Get("/digits.txt", ("If-None-Match", "*")).Status);
        Assert.Equal(200, Get("/digits.txt", ("If-None-Match", "\"other\""), ("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT")).Status);
    }

    [Fact]
    public void Get_DirectoryWithoutSlash_Redirects302ToItWithTheSlashKeepingTheQuery()
    {
        var exchange = Get("/docs?x=1");

        Assert.Equal(302, exchange.Status);
        Assert.Equal("/docs/?x=1", exchange.Header("Location"));
    }

    [Fact]
    public void Get_DirectoryWithIndex_ServesTheIndex() =>
        Assert.Equal("<h1>docs</h1>", Get("/docs/").Text);

    [Fact]
    public void Get_DirectoryWithoutIndex_ListsItsEntriesEncoded()
    {
        var exchange = Get("/empty%20dir/");

        Assert.Equal(200, exchange.Status);
        Assert.Equal("text/html; charset=utf-8", exchange.Header("Content-Type"));
        Assert.Contains("<a href=\"a%26b.txt\">a&amp;b.txt</a>", exchange.Text, StringComparison.Ordinal);
        Assert.Contains("Directory listing for /empty dir/", exchange.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_Root_ListsWithoutTheLinksLeadingOut()
    {
        string listing = Get("/").Text;

        Assert.Contains("href=\"digits.txt\"", listing, StringComparison.Ordinal);
        Assert.Contains("href=\"in.txt\"", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("out.txt", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("outdir", listing, StringComparison.Ordinal);
    }

    [Fact]
    public void IndexNames_Configured_AreTriedInOrder()
    {
        var file = new RxNet.Http.Web.File(_root.FullName);
        file.IndexNames.Clear();
        file.IndexNames.Add("page.html");

        Assert.Equal("<p>hi</p>", WebExchange.Send(new Site(file, new TestScheduler()), "GET", "/").Text);
    }

    [Theory]
    [InlineData("/missing.txt")]
    [InlineData("/digits.txt/deeper")]
    [InlineData("/../etc/passwd")]
    [InlineData("/docs/../../etc/passwd")]
    [InlineData("/%2e%2e/etc/passwd")]
    [InlineData("/%2E%2E/%2E%2E/etc/passwd")]
    [InlineData("/..%2fetc%2fpasswd")]
    [InlineData("/%2fetc%2fpasswd")]
    [InlineData("/docs/%2e")]
    [InlineData("/a%00b")]
    [InlineData("/out.txt")]
    [InlineData("/outdir/secret.txt")]
    [InlineData("/outdir/")]
    public void Get_MissingOrOutsideTheRoot_Is404(string target)
    {
        var exchange = Get(target);

        Assert.Equal(404, exchange.Status);
        Assert.DoesNotContain("secret", exchange.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_LinkInsideTheRoot_IsServed() =>
        Assert.Equal(Digits, Get("/in.txt").Text);

    [Fact]
    public void Post_File_Is405AllowingGetAndHead()
    {
        var exchange = Send("POST", "/digits.txt");

        Assert.Equal((405, "GET, HEAD"), (exchange.Status, exchange.Header("Allow")));
    }

    [Fact]
    public void Get_UnreadableFile_Is403()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
            Assert.Skip("Needs Unix file modes and a user that they bind (root reads every file).");
        string path = Path.Combine(_root.FullName, "locked.txt");
        System.IO.File.WriteAllText(path, "locked");
        if (!OperatingSystem.IsWindows())
            System.IO.File.SetUnixFileMode(path, UnixFileMode.None);

        Assert.Equal(403, Get("/locked.txt").Status);
    }

    [Fact]
    public void Get_ClientGoesAway_NothingMoreIsRead()
    {
        ((RxNet.Http.Web.File)_site.Resource).ChunkSize = 10;
        var demand = new BehaviorSubject<bool>(true);
        var exchange = WebExchange.Send(_site, "GET", "/digits.txt", demand: demand, onChunk: e =>
        {
            if (e.Chunks == 2)
                demand.OnNext(false);
        });

        exchange.Disconnect();
        demand.OnNext(true);

        Assert.Equal((2, "0123456789" + "0123456789"), (exchange.Chunks, exchange.Text));
        Assert.False(exchange.Completed);
    }
}
