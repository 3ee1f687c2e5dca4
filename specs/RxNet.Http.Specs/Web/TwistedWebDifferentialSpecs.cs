using System.Net;
using System.Text;
using RxNet.Http.Web;
using RxNet.Sockets;

namespace RxNet.Http.Specs.Web;

/// <summary>
/// The differential spec: Twisted's <c>twisted.web.static.File</c> and RxNet's <c>Site(new File(dir))</c> over
/// <see cref="HttpServer"/> serve the same directory on loopback, get the same raw requests, and must answer with the
/// same statuses and bodies, except for the named differences below, each with its reason.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TwistedWebDifferentialSpecs : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private const string Digits = "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("rxnet-web-diff-");
    private readonly DirectoryInfo _outside = Directory.CreateTempSubdirectory("rxnet-web-diff-outside-");
    private readonly SocketReactor _reactor = new();
    private readonly IDisposable _listening;
    private readonly int _port;

    /// <summary>How the two answers are compared.</summary>
    private enum Same
    {
        /// <summary>Status and body byte for byte.</summary>
        StatusAndBody,

        /// <summary>Status and the parts of a multipart/byteranges body (the boundary is random on both sides).</summary>
        StatusAndParts,

        /// <summary>Status only: the body is generated HTML (listing, redirect, error page), each server its own.</summary>
        StatusOnly,

        /// <summary>Neither: a deliberate difference, whose statuses the case gives.</summary>
        Nothing,
    }

    /// <summary>A request, how its answers compare, and for a deliberate difference the statuses and the reason.</summary>
    private sealed record Case(string Name, string Request, Same Same, int Twisted = 0, int RxNet = 0, string Reason = "");

    private static string Get(string target, string extra = "") => $"GET {target} HTTP/1.1\r\nHost: localhost\r\n{extra}Connection: close\r\n\r\n";

    private static readonly Case[] Cases =
    [
        new("file", Get("/hello.txt"), Same.StatusAndBody),
        new("head", "HEAD /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", Same.StatusAndBody),
        new("http/1.0", "GET /hello.txt HTTP/1.0\r\n\r\n", Same.StatusAndBody),
        new("range first ten", Get("/digits.txt", "Range: bytes=0-9\r\n"), Same.StatusAndBody),
        new("range open end", Get("/digits.txt", "Range: bytes=90-\r\n"), Same.StatusAndBody),
        new("range suffix", Get("/digits.txt", "Range: bytes=-5\r\n"), Same.StatusAndBody),
        new("range past the end", Get("/digits.txt", "Range: bytes=95-500\r\n"), Same.StatusAndBody),
        new("ranges multipart", Get("/digits.txt", "Range: bytes=0-1,10-12,50-\r\n"), Same.StatusAndParts),
        new("range unsatisfiable", Get("/digits.txt", "Range: bytes=200-300\r\n"), Same.StatusAndBody),
        new("range malformed", Get("/digits.txt", "Range: bytes=5-2\r\n"), Same.StatusAndBody),
        new("range other unit", Get("/digits.txt", "Range: lines=1-2\r\n"), Same.StatusAndBody),
        new("if-modified-since later", Get("/hello.txt", "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n"), Same.StatusAndBody),
        new("if-modified-since earlier", Get("/hello.txt", "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n"), Same.StatusAndBody),
        new("missing file", Get("/missing.txt"), Same.StatusOnly),
        new("below a file", Get("/hello.txt/more"), Same.StatusOnly),
        new("directory without slash", Get("/sub"), Same.StatusOnly),
        new("directory with index", Get("/sub/"), Same.StatusAndBody),
        new("directory index by name", Get("/sub/index.html"), Same.StatusAndBody),
        new("directory listing", Get("/plain/"), Same.StatusOnly),
        new("root listing", Get("/"), Same.StatusOnly),
        new("encoded name", Get("/with%20space.txt"), Same.StatusAndBody),
        new("dot-dot", Get("/../etc/passwd"), Same.StatusOnly),
        new("dot-dot below", Get("/sub/../../etc/passwd"), Same.StatusOnly),
        new("encoded dot-dot", Get("/%2e%2e/etc/passwd"), Same.StatusOnly),
        new("encoded slash", Get("/..%2f..%2fetc%2fpasswd"), Same.StatusOnly),
        new("post to a file", "POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", Same.StatusOnly),
        new("link leading out", Get("/out.txt"), Same.Nothing, 200, 404,
            "RxNet refuses a symbolic link whose target is outside the root; Twisted's File follows it"),
        new("if-none-match", Get("/hello.txt", "If-None-Match: *\r\n"), Same.Nothing, 200, 304,
            "RxNet's File sends an ETag and answers If-None-Match; Twisted's File has no ETag"),
        new("put to a file", "PUT /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", Same.Nothing, 501, 405,
            "RxNet answers 405 with Allow for every method a resource does not render; Twisted answers 501 outside GET, HEAD and POST"),
        new("dot segment", Get("/sub/./index.html"), Same.Nothing, 200, 404,
            "RxNet refuses a '.' segment like '..'; Twisted's FilePath.child accepts '.' as the directory itself"),
        new("space before colon", "GET /hello.txt HTTP/1.1\r\nHost : localhost\r\nConnection: close\r\n\r\n", Same.StatusOnly),
        new("no host", "GET /hello.txt HTTP/1.1\r\nConnection: close\r\n\r\n", Same.Nothing, 200, 400,
            "RFC 9112 §3.2: an HTTP/1.1 request without Host must be rejected with 400; Twisted serves it"),
        new("folded header", "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nX-Long: a\r\n b\r\nConnection: close\r\n\r\n", Same.Nothing, 200, 400,
            "RFC 9112 §5.2: obsolete line folding is rejected with 400; Twisted joins the lines"),
        new("signed content-length", "POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: +0\r\nConnection: close\r\n\r\n", Same.StatusOnly),
    ];

    public TwistedWebDifferentialSpecs()
    {
        System.IO.File.WriteAllText(Path.Combine(_root.FullName, "hello.txt"), "Hello, World!\n");
        System.IO.File.WriteAllText(Path.Combine(_root.FullName, "digits.txt"), Digits);
        System.IO.File.WriteAllText(Path.Combine(_root.FullName, "with space.txt"), "spaced");
        Directory.CreateDirectory(Path.Combine(_root.FullName, "sub"));
        System.IO.File.WriteAllText(Path.Combine(_root.FullName, "sub", "index.html"), "<h1>sub</h1>");
        Directory.CreateDirectory(Path.Combine(_root.FullName, "plain"));
        System.IO.File.WriteAllText(Path.Combine(_root.FullName, "plain", "a.txt"), "a");
        System.IO.File.WriteAllText(Path.Combine(_outside.FullName, "secret.txt"), "secret");
        System.IO.File.CreateSymbolicLink(Path.Combine(_root.FullName, "out.txt"), Path.Combine(_outside.FullName, "secret.txt"));

        var site = new Site(new RxNet.Http.Web.File(_root.FullName), _reactor.Scheduler);
        var server = new HttpServer(site.Handle, _reactor.Scheduler);
        var bound = new TaskCompletionSource<EndPoint>();
        _listening = server.Listen(new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0)).Listen(bound.SetResult));
        if (!bound.Task.Wait(Bound, TestContext.Current.CancellationToken))
            throw new TimeoutException("The RxNet server did not bind.");
        _port = ((IPEndPoint)bound.Task.Result).Port;
    }

    public void Dispose()
    {
        _listening.Dispose();
        _reactor.Dispose();
        _root.Delete(recursive: true);
        _outside.Delete(recursive: true);
    }

    [Fact]
    public async Task StaticFile_SameRequestsToTwistedAndRxNet_SameStatusesAndBodiesExceptTheNamedDifferences()
    {
        using var twisted = await TwistedWebProcess.StartAsync(_root.FullName, Bound);
        var mismatches = new List<string>();

        foreach (var c in Cases)
        {
            var theirs = await RawHttp.SendAsync(twisted.Port, c.Request, Bound);
            var ours = await RawHttp.SendAsync(_port, c.Request, Bound);
            string? problem = c.Same switch
            {
                _ when theirs.Status <= 0 || ours.Status <= 0 => "a server did not answer",
                Same.Nothing when (theirs.Status, ours.Status) != (c.Twisted, c.RxNet) =>
                    $"expected the named difference Twisted {c.Twisted} / RxNet {c.RxNet} ({c.Reason})",
                Same.Nothing => null,
                _ when theirs.Status != ours.Status => "statuses differ",
                Same.StatusAndBody when !theirs.Body.AsSpan().SequenceEqual(ours.Body) => "bodies differ",
                Same.StatusAndParts when !Parts(theirs).SequenceEqual(Parts(ours)) => "multipart parts differ",
                _ => null,
            };
            if (problem is not null)
                mismatches.Add($"{c.Name}: {problem}: Twisted {theirs.Status} '{Short(theirs.Text)}', RxNet {ours.Status} '{Short(ours.Text)}'");
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    /// <summary>The (Content-Range, data) of each part of a multipart/byteranges body, whatever its boundary and
    /// the case of its part headers.</summary>
    private static List<string> Parts(RawHttp response)
    {
        string type = response.Headers.TryGetValue("Content-Type", out string? t) ? t : "";
        int at = type.IndexOf("boundary=", StringComparison.Ordinal);
        if (at < 0)
            return [$"not multipart: {type}"];
        string boundary = type[(at + "boundary=".Length)..].Trim('"');
        var parts = new List<string>();
        foreach (string part in response.Text.Split("--" + boundary).Skip(1))
        {
            if (part.StartsWith("--", StringComparison.Ordinal))
                break;
            int end = part.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            string range = part[..end].Split("\r\n").First(l => l.StartsWith("content-range:", StringComparison.OrdinalIgnoreCase))["content-range:".Length..].Trim();
            parts.Add($"{range}|{part[(end + 4)..].TrimEnd('\r', '\n')}");
        }
        return parts;
    }

    private static string Short(string text) => text.Length <= 60 ? text.ReplaceLineEndings(" ") : text[..60].ReplaceLineEndings(" ") + "...";
}
