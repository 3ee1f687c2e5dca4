using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using RxNet.Specs.Shared;

namespace RxNet.Http.Specs.Server;

/// <summary>The server on a real loopback socket against Python's http.client, h11, Twisted's Agent and wrk: each
/// peer parses the server's answers with its own strict code. They run alone, after the parallel specs, so wrk's
/// load neither starves nor is starved by them.</summary>
[Trait("Category", "Integration")]
[Collection(Collection)]
public sealed partial class HttpInteropSpecs : IDisposable
{
    /// <summary>The name of the non-parallel collection these specs run in.</summary>
    public const string Collection = "HTTP interop";

    private readonly LoopbackHttpServer _server = new(PeerRun.Bound);

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task PythonHttpClient_KeepAliveChunkedUploadAndHeadOnOneConnection_AllAnsweredOnTheSameSocket()
    {
        const string Script = """
            import http.client, sys
            c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=30)
            sockets = set()
            for path in ["/a", "/b", "/c"]:
                c.request("GET", path)
                r = c.getresponse()
                print(r.status, r.read().decode())
                sockets.add(id(c.sock))
            c.request("POST", "/echo", body=(b"%05d" % i for i in range(20000)), encode_chunked=True)
            r = c.getresponse()
            body = r.read()
            print(r.status, len(body), body == b"".join(b"%05d" % i for i in range(20000)))
            sockets.add(id(c.sock))
            c.request("HEAD", "/a")
            r = c.getresponse()
            print(r.status, r.getheader("Content-Length"), repr(r.read()))
            sockets.add(id(c.sock))
            print("sockets", len(sockets))
            """;
        string python = await PythonWith("http.client", "python3");

        var (code, output, error) = await PeerRun.RunAsync(python, "-c", Script, Port);

        Assert.True(code == 0, error);
        Assert.Equal("200 hello /a\n200 hello /b\n200 hello /c\n200 100000 True\n200 8 b''\nsockets 1\n", output);
    }

    [Fact]
    public async Task H11Client_GetChunkedPostAndHeadOnOneConnection_AreFramedAsH11Expects()
    {
        const string Script = """
            import h11, socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
            conn = h11.Connection(our_role=h11.CLIENT)
            def exchange(method, target, headers, chunks):
                s.sendall(conn.send(h11.Request(method=method, target=target, headers=[("Host", "x")] + headers)))
                for chunk in chunks:
                    s.sendall(conn.send(h11.Data(data=chunk)))
                s.sendall(conn.send(h11.EndOfMessage()))
                status, body = None, b""
                while True:
                    event = conn.next_event()
                    if event is h11.NEED_DATA:
                        conn.receive_data(s.recv(65536))
                    elif isinstance(event, h11.Response):
                        status = event.status_code
                    elif isinstance(event, h11.Data):
                        body += event.data
                    elif isinstance(event, h11.EndOfMessage):
                        break
                    else:
                        raise RuntimeError(repr(event))
                print(method, target, status, body.decode())
                conn.start_next_cycle()
            exchange("GET", "/one", [], [])
            exchange("POST", "/echo", [("Transfer-Encoding", "chunked")], [b"abc", b"defgh", b"i" * 5000])
            exchange("HEAD", "/two", [], [])
            exchange("GET", "/three", [], [])
            print("state", conn.our_state, conn.their_state)
            """;
        string python = await PythonWith("h11", "python3-h11");

        var (code, output, error) = await PeerRun.RunAsync(python, "-c", Script, Port);

        Assert.True(code == 0, error);
        Assert.Equal($"GET /one 200 hello /one\nPOST /echo 200 abcdefgh{new string('i', 5000)}\nHEAD /two 200 \nGET /three 200 hello /three\nstate IDLE IDLE\n", output);
    }

    [Fact]
    public async Task TwistedAgent_GetPostAndAPersistentPool_ReadsEveryBody()
    {
        const string Script = """
            import sys
            from io import BytesIO
            from twisted.internet import defer, task
            from twisted.web.client import Agent, FileBodyProducer, HTTPConnectionPool, readBody
            from twisted.web.http_headers import Headers

            @defer.inlineCallbacks
            def main(reactor, port):
                pool = HTTPConnectionPool(reactor, persistent=True)
                agent = Agent(reactor, pool=pool)
                base = b"http://127.0.0.1:" + port.encode()
                for path in [b"/first", b"/second"]:
                    r = yield agent.request(b"GET", base + path)
                    body = yield readBody(r)
                    print(r.code, r.headers.getRawHeaders(b"content-type")[0].decode(), body.decode())
                upload = b"twisted " * 10000
                r = yield agent.request(b"POST", base + b"/echo", Headers({}), FileBodyProducer(BytesIO(upload)))
                body = yield readBody(r)
                print(r.code, len(body), body == upload)
                r = yield agent.request(b"HEAD", base + b"/first")
                body = yield readBody(r)
                print(r.code, r.headers.getRawHeaders(b"content-length")[0].decode(), repr(body))
                print("cached", sum(len(v) for v in pool._connections.values()))
                yield pool.closeCachedConnections()

            task.react(main, sys.argv[1:])
            """;
        string python = await PythonWith("twisted.web.client", "python3-twisted");

        var (code, output, error) = await PeerRun.RunAsync(python, "-c", Script, Port);

        Assert.True(code == 0, error);
        Assert.Equal(
            "200 text/plain; charset=utf-8 hello /first\n200 text/plain; charset=utf-8 hello /second\n200 80000 True\n200 12 b''\ncached 1\n",
            output);
    }

    [Fact]
    public async Task Wrk_OneSecondOfEightConnections_SeesNoSocketErrorAndOnly2xx()
    {
        string wrk = Peers.Require("wrk", "wrk");

        var (code, output, error) = await PeerRun.RunAsync(wrk, "-t1", "-c8", "-d1s", "--latency", Url("/hello"));

        AssertClean(code, output, error);
    }

    [Fact]
    public async Task Wrk_PipelinedSixteenDeep_SeesNoSocketErrorAndOnly2xx()
    {
        string wrk = Peers.Require("wrk", "wrk");
        string script = Path.Combine(Path.GetTempPath(), $"rxnet-pipeline-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, """
            init = function(args)
               local r = {}
               for i = 1, 16 do r[i] = wrk.format(nil, "/hello") end
               req = table.concat(r)
            end
            request = function() return req end
            """, TestContext.Current.CancellationToken);
        try
        {
            var (code, output, error) = await PeerRun.RunAsync(wrk, "-t1", "-c8", "-d1s", "-s", script, Url("/hello"));

            AssertClean(code, output, error);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task HalfSentRequests_AThousandOnRealSockets_AFreshClientIsAnsweredAndTheHalfOnesStillFinish()
    {
        var token = TestContext.Current.CancellationToken;
        var half = new List<Socket>();
        try
        {
            for (int i = 0; i < 1000; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                half.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, _server.Port, token).AsTask().WaitAsync(PeerRun.Bound, token);
                await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /half/{i} HTTP/1.1\r\nHost: x\r\nX-Par"), token);
            }

            using var fresh = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await fresh.ConnectAsync(IPAddress.Loopback, _server.Port, token).AsTask().WaitAsync(PeerRun.Bound, token);
            Assert.EndsWith("\r\n\r\nhello /fresh", await AskAsync(fresh, "GET /fresh HTTP/1.1\r\nHost: x\r\n\r\n", "hello /fresh"), StringComparison.Ordinal);
            Assert.EndsWith("\r\n\r\nhello /half/0", await AskAsync(half[0], "tial: yes\r\n\r\n", "hello /half/0"), StringComparison.Ordinal);
            Assert.EndsWith("\r\n\r\nhello /half/999", await AskAsync(half[^1], "tial: yes\r\n\r\n", "hello /half/999"), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var socket in half)
                socket.Dispose();
        }
    }

    /// <summary>Sends <paramref name="text"/> and reads until what arrived ends with <paramref name="end"/>, within the bound.</summary>
    private static async Task<string> AskAsync(Socket socket, string text, string end)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(PeerRun.Bound);
        await socket.SendAsync(Encoding.ASCII.GetBytes(text), timeout.Token);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().EndsWith(end, StringComparison.Ordinal))
        {
            int n = await socket.ReceiveAsync(buffer, timeout.Token);
            if (n == 0)
                break;
            received.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }
        return received.ToString();
    }

    private static void AssertClean(int code, string output, string error)
    {
        Assert.True(code == 0, output + error);
        Assert.DoesNotContain("Socket errors", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Non-2xx", output, StringComparison.Ordinal);
        var requests = RequestsLine().Match(output);
        Assert.True(requests.Success, output);
        Assert.True(long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture) > 100, output);
    }

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex RequestsLine();

    private static Task<string> PythonWith(string module, string package) => PeerRun.PythonWith(module, package);

    private string Port => _server.PortText;

    private string Url(string path) => _server.Url(path);
}

