using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Text;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Specs.Shared;
using RxNet.Testing;
using Xunit;

namespace RxNet.Sockets.Specs.Interop;

/// <summary>
/// The PROXY protocol against peers nobody here wrote, over loopback: curl's <c>--haproxy-protocol</c> (a version 1
/// header) in front of an RxNet server reading headers, and RxNet's client headers (versions 1 and 2, LOCAL, UNKNOWN,
/// UDP, TLVs) in front of Twisted's <c>haproxy:tcp:...</c> endpoint, which reports what <c>transport.getPeer()</c> and
/// <c>getHost()</c> became.
/// </summary>
[Collection(TwistedProcess.Collection)]
[Trait("Category", "Integration")]
public sealed class HAProxyInteropSpecs : IDisposable
{
    private static readonly IPEndPoint Client4 = new(IPAddress.Parse("203.0.113.7"), 51234);
    private static readonly IPEndPoint Server4 = new(IPAddress.Parse("198.51.100.1"), 443);
    private static readonly IPEndPoint Client6 = new(IPAddress.Parse("2001:db8::7"), 51234);
    private static readonly IPEndPoint Server6 = new(IPAddress.Parse("2001:db8::1"), 443);

    private readonly SocketReactor _reactor = new();

    /// <summary>What each client header makes of Twisted's <c>getPeer()</c> and <c>getHost()</c>; <c>REAL</c> stands for the
    /// loopback connection's own endpoints, which Twisted keeps for LOCAL as the spec asks. The version 1 short form
    /// <c>PROXY UNKNOWN\r\n</c> is left out: Twisted 22.4's parser wants a space after <c>UNKNOWN</c> and drops the
    /// connection, though the spec lets a sender omit the rest of the line (RxNet accepts both forms).</summary>
    private static readonly Dictionary<string, (ProxyHeader Header, string Expected)> TwistedCases = new()
    {
        ["v1 TCP4"] = (ProxyHeader.V1(Client4, Server4), "peer TCP 203.0.113.7 51234 host TCP 198.51.100.1 443"),
        ["v1 TCP6"] = (ProxyHeader.V1(Client6, Server6), "peer TCP 2001:db8::7 51234 host TCP 2001:db8::1 443"),
        ["v2 TCP4 + TLVs"] = (ProxyHeader.V2(Client4, Server4, tlvs: [new ProxyTlv(ProxyTlv.Authority, "example.com"u8.ToArray()), new ProxyTlv(ProxyTlv.Crc32C, new byte[4])]),
            "peer TCP 203.0.113.7 51234 host TCP 198.51.100.1 443"),
        ["v2 TCP6"] = (ProxyHeader.V2(Client6, Server6), "peer TCP 2001:db8::7 51234 host TCP 2001:db8::1 443"),
        ["v2 UDP4"] = (ProxyHeader.V2(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 53), new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5353), SocketType.Dgram),
            "peer UDP 10.0.0.1 53 host UDP 10.0.0.2 5353"),
        ["v2 LOCAL"] = (ProxyHeader.V2Local(), "REAL"),
    };

    private const string TwistedServer = """
        import ipaddress, sys
        from twisted.internet import endpoints, protocol, reactor

        def show(address):
            return "%s %s %s" % (address.type, ipaddress.ip_address(address.host).compressed, address.port)

        class Report(protocol.Protocol):
            reported = False

            def dataReceived(self, data):
                if not self.reported:
                    self.reported = True
                    line = "peer %s host %s\n" % (show(self.transport.getPeer()), show(self.transport.getHost()))
                    self.transport.write(line.encode("ascii"))
                self.transport.write(data)
                if data.endswith(b"\n"):
                    self.transport.loseConnection()

        def listening(port):
            print("listening", port.getHost().port, flush=True)

        def failed(reason):
            print("failed", reason.getErrorMessage(), flush=True)
            reactor.stop()

        factory = protocol.Factory.forProtocol(Report)
        endpoints.serverFromString(reactor, "haproxy:tcp:0:interface=127.0.0.1").listen(factory).addCallbacks(listening, failed)
        reactor.callLater(120, reactor.stop)  # a safety net should the spec runner vanish
        reactor.run()
        """;

    public static TheoryData<string> Cases() => [.. TwistedCases.Keys];

    [Fact]
    public async Task AcceptProxyProtocol_CurlWithHaproxyProtocol_SeesCurlsAddressAndTheWholeRequest()
    {
        var request = new StringBuilder();
        var seen = new TaskCompletionSource<IProxiedConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var endpoint = new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0)).WithProxyProtocol(_reactor.Scheduler);
        var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listening = endpoint.Listen(bound.SetResult).Subscribe(connection =>
        {
            var proxied = (IProxiedConnection)connection;
            connection.Input.Subscribe(chunk =>
            {
                request.Append(Encoding.ASCII.GetString(chunk.Span));
                if (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    return;
                string body = $"{connection.RemoteEndPoint}";
                connection.Output.OnNext(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
                connection.Output.OnCompleted();
                seen.TrySetResult(proxied);
            }, _ => { });
        });
        int port = ((IPEndPoint)await bound.Task.Within()).Port;

        var (exitCode, stdout, stderr) = await RunAsync("curl", "-sS", "--max-time", "20", "--haproxy-protocol", $"http://127.0.0.1:{port}/");
        var proxied = await seen.Task.Within();

        Assert.True(exitCode == 0, $"curl failed ({exitCode}): {stderr}");
        var header = proxied.ProxyHeader;
        Assert.Equal(1, header.Version);
        Assert.Equal(AddressFamily.InterNetwork, header.AddressFamily);
        Assert.Equal(proxied.ProxyEndPoint, proxied.RemoteEndPoint); // curl names its own socket as the source
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), proxied.LocalEndPoint);
        Assert.StartsWith($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n", request.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", request.ToString(), StringComparison.Ordinal);
        Assert.Equal(proxied.RemoteEndPoint!.ToString(), stdout);
    }

    [Fact]
    public async Task AcceptProxyProtocol_PlainHttpWithoutAHeader_IsAbortedAndTheListenerServesCurlNext()
    {
        int served = 0;
        var endpoint = new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0)).WithProxyProtocol(_reactor.Scheduler);
        var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listening = endpoint.Listen(bound.SetResult).Subscribe(connection =>
        {
            Interlocked.Increment(ref served);
            connection.Output.OnNext("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"u8.ToArray());
            connection.Output.OnCompleted();
            connection.Input.Subscribe(_ => { }, _ => { });
        });
        int port = ((IPEndPoint)await bound.Task.Within()).Port;

        var plain = await RunAsync("curl", "-sS", "--max-time", "20", $"http://127.0.0.1:{port}/");
        var proxied = await RunAsync("curl", "-sS", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}", "--haproxy-protocol", $"http://127.0.0.1:{port}/");

        Assert.NotEqual(0, plain.ExitCode); // reset or empty reply: "GET" is not a PROXY header
        Assert.Equal(0, proxied.ExitCode);
        Assert.Equal("204", proxied.Stdout);
        Assert.Equal(1, Volatile.Read(ref served));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task WithProxyHeader_TwistedHAProxyEndpoint_ReportsTheHeadersAddressesAsPeerAndHost(string name)
    {
        var (header, expected) = TwistedCases[name];
        using var twisted = await TwistedProcess.StartAsync("rxnet-twisted-haproxy-", "haproxy_server.py", TwistedServer, []);
        int port = await twisted.ListeningAsync();

        var connection = await new TcpClientEndpoint(new IPEndPoint(IPAddress.Loopback, port)).WithProxyHeader(header).Connect().FirstWithin();
        using var _ = connection;
        var reply = connection.Input.ReadAllText().FirstWithin(); // subscribed before anything is written
        connection.Output.OnNext("hello\n"u8.ToArray());
        string text = await reply;

        if (expected == "REAL")
        {
            var local = (IPEndPoint)connection.LocalEndPoint!;
            expected = string.Create(CultureInfo.InvariantCulture, $"peer TCP 127.0.0.1 {local.Port} host TCP 127.0.0.1 {port}");
        }
        Assert.True(text == expected + "\nhello\n", $"Twisted replied {text}\nand printed:\n{twisted.Output}\nstderr:\n{twisted.Errors}");
    }

    public void Dispose() => _reactor.Dispose();

    /// <summary>Runs a tool, bounded in time, and returns its exit code and output.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(Peers.Require(file, file)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(Bounded.Cancel);
            var stderr = process.StandardError.ReadToEndAsync(Bounded.Cancel);
            await process.WaitForExitAsync(Bounded.Cancel).Within(Bounded.Short);
            return (process.ExitCode, await stdout.Within(), await stderr.Within());
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }
}
