using System.Globalization;
using System.Net;
using System.Reactive.Linq;
using RxNet.Sockets.Specs.Tcp;
using Xunit;

namespace RxNet.Sockets.Specs;

/// <summary>The socket reactor's endpoint strings: every built-in scheme and key, printing an endpoint
/// back as a string that parses to the same endpoint, bad strings with their messages, and schemes a user adds.</summary>
public sealed class EndpointStringSpecs : IDisposable
{
    private readonly SocketReactor _reactor = new();

    public void Dispose() => _reactor.Dispose();

    [Theory]
    [InlineData("tcp:8000", "tcp:8000:interface=0.0.0.0:backlog=512")]
    [InlineData("tcp:port=8000:interface=127.0.0.1:backlog=128", "tcp:8000:interface=127.0.0.1:backlog=128")]
    [InlineData("tcp6:8000", @"tcp6:8000:interface=\:\::backlog=512")]
    [InlineData(@"tcp6:port=0:interface=\:\:1", @"tcp6:0:interface=\:\:1:backlog=512")]
    [InlineData("tcp:0:rcvbuf=65536:sndbuf=32768", "tcp:0:interface=0.0.0.0:backlog=512:sndbuf=32768:rcvbuf=65536")]
    [InlineData("unix:/run/app.sock", "unix:/run/app.sock:mode=666:lockfile=0:backlog=512")]
    [InlineData("unix:address=/run/a\\:b.sock:mode=0660:lockfile=1:backlog=5", @"unix:/run/a\:b.sock:mode=660:lockfile=1:backlog=5")]
    [InlineData("unix:/run/app.sock:rcvbuf=65536:sndbuf=32768", "unix:/run/app.sock:mode=666:lockfile=0:backlog=512:sndbuf=32768:rcvbuf=65536")]
    public void ServerEndpoint_EveryKey_PrintsBackAsAStringThatParsesToTheSameEndpoint(string description, string printed)
    {
        var endpoint = _reactor.ServerEndpoint(description);

        Assert.Equal(printed, endpoint.ToString());
        Assert.Equal(printed, _reactor.ServerEndpoint(endpoint.ToString()!).ToString());
    }

    [Theory]
    [InlineData("tcp:host=example.com:port=80:timeout=5", "tcp:host=example.com:port=80:timeout=5")]
    [InlineData("tcp:example.com:80", "tcp:host=example.com:port=80:timeout=30")]
    [InlineData("tcp:example.com:80:rcvbuf=8192:sndbuf=4096", "tcp:host=example.com:port=80:timeout=30:sndbuf=4096:rcvbuf=8192")]
    [InlineData(@"tcp6:host=\:\:1:port=8000:timeout=0.25", @"tcp:host=\:\:1:port=8000:timeout=0.25")]
    [InlineData("unix:/run/app.sock", "unix:path=/run/app.sock:timeout=30")]
    [InlineData("unix:path=/run/app.sock:timeout=2", "unix:path=/run/app.sock:timeout=2")]
    [InlineData("unix:/run/app.sock:sndbuf=4096", "unix:path=/run/app.sock:timeout=30:sndbuf=4096")]
    public void ClientEndpoint_EveryKey_PrintsBackAsAStringThatParsesToTheSameEndpoint(string description, string printed)
    {
        var endpoint = _reactor.ClientEndpoint(description);

        Assert.Equal(printed, endpoint.ToString());
        Assert.Equal(printed, _reactor.ClientEndpoint(endpoint.ToString()!).ToString());
    }

    [Theory]
    [InlineData("udp:9999", "udp:9999:interface=0.0.0.0")]
    [InlineData(@"udp:port=0:interface=\:\:1", @"udp:0:interface=\:\:1")]
    [InlineData("udp:0:interface=127.0.0.1:remoteHost=127.0.0.1:remotePort=9999", "udp:0:interface=127.0.0.1:remoteHost=127.0.0.1:remotePort=9999")]
    [InlineData("udp:remotePort=53:port=5353:remoteHost=10.0.0.1", "udp:5353:interface=0.0.0.0:remoteHost=10.0.0.1:remotePort=53")]
    [InlineData(@"udp:0:remoteHost=\:\:1:remotePort=53", @"udp:0:interface=\:\::remoteHost=\:\:1:remotePort=53")]
    public void DatagramEndpoint_EveryKey_PrintsBackAsAStringThatParsesToTheSameEndpoint(string description, string printed)
    {
        var endpoint = _reactor.DatagramEndpoint(description);

        Assert.Equal(printed, endpoint.ToString());
        Assert.Equal(printed, _reactor.DatagramEndpoint(endpoint.ToString()!).ToString());
    }

    [Fact]
    public async Task ServerEndpoint_HAProxyPrefix_ServesTheAddressFromTheHeader()
    {
        var endpoint = _reactor.ServerEndpoint("haproxy:tcp:0:interface=127.0.0.1");
        var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var server = endpoint.Listen(bound.SetResult).Subscribe(connection =>
        {
            connection.Output.OnNext(System.Text.Encoding.ASCII.GetBytes($"you are {connection.RemoteEndPoint}"));
            connection.Output.OnCompleted();
        });
        int port = ((IPEndPoint)await bound.Task.Within()).Port;

        using var client = await _reactor.ClientEndpoint($"tcp:host=127.0.0.1:port={port}")
            .WithProxyHeader(ProxyHeader.V2(new IPEndPoint(IPAddress.Parse("203.0.113.7"), 51234), new IPEndPoint(IPAddress.Loopback, port)))
            .Connect().FirstWithin();
        var reply = await client.Input.Aggregate("", (text, chunk) => text + System.Text.Encoding.ASCII.GetString(chunk.Span)).FirstWithin();

        Assert.Equal("you are 203.0.113.7:51234", reply);
        Assert.Equal("haproxy:tcp:0:interface=127.0.0.1:backlog=512", endpoint.ToString());
    }

    [Fact]
    public void DatagramEndpoint_RemoteKeys_ReachTheEndpoint()
    {
        var endpoint = (UdpEndpoint)_reactor.DatagramEndpoint("udp:0:interface=127.0.0.1:remoteHost=127.0.0.2:remotePort=53");

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0), endpoint.EndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 53), endpoint.Remote);
        Assert.Null(((UdpEndpoint)_reactor.DatagramEndpoint("udp:0")).Remote);
    }

    [Fact]
    public void ServerEndpoint_UnixKeys_ReachTheEndpoint()
    {
        var endpoint = (UnixServerEndpoint)_reactor.ServerEndpoint("unix:address=/tmp/x.sock:mode=640:lockfile=1:backlog=7");

        Assert.Equal("/tmp/x.sock", endpoint.Path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, endpoint.Mode);
        Assert.True(endpoint.LockFile);
        Assert.Equal(7, endpoint.Options.Backlog);
    }

    [Fact]
    public void ClientEndpoint_UnixTimeout_BecomesTheConnectTimeout()
    {
        var endpoint = (UnixClientEndpoint)_reactor.ClientEndpoint("unix:path=/tmp/x.sock:timeout=1.5");

        Assert.Equal("/tmp/x.sock", endpoint.Path);
        Assert.Equal(TimeSpan.FromSeconds(1.5), endpoint.Options.ConnectTimeout);
    }

    [Theory]
    [InlineData("server", "unix:", "", 5, "the path is empty")]
    [InlineData("server", "unix:mode=600", "unix", 0, "a path is required")]
    [InlineData("server", "unix:/a:/b", "/b", 8, "only one path")]
    [InlineData("server", "unix:/a:address=/b", "/a", 5, "only one path")]
    [InlineData("server", "unix:/a:mode=800", "800", 13, "octal")]
    [InlineData("server", "unix:/a:mode=1000", "1000", 13, "octal digits up to 777")]
    [InlineData("server", "unix:/a:lockfile=yes", "yes", 17, "lockfile must be a whole number from 0 to 1")]
    [InlineData("server", "unix:/a:timeout=5", "timeout", 8, "a Unix socket server takes address, mode, lockfile, backlog, sndbuf and rcvbuf")]
    [InlineData("client", "unix:/a:mode=600", "mode", 8, "a Unix socket client takes path, timeout, sndbuf and rcvbuf")]
    [InlineData("client", "unix:path=/a:timeout=-1", "-1", 21, "timeout must be a number of seconds above 0")]
    [InlineData("server", "quic:443", "quic", 0, "'tcp:', 'tcp6:', 'tls:', 'unix:'")] // a shared scheme another fact adds may come first
    [InlineData("client", "udp:9999", "udp", 0, "no client endpoint has this scheme")]
    [InlineData("datagram", "tcp:9999", "tcp", 0, "known: 'udp:'")]
    [InlineData("datagram", "udp:0:remote=1", "remote", 6, "a UDP endpoint takes port, interface, remoteHost and remotePort")]
    [InlineData("datagram", "udp:0:remoteHost=127.0.0.1", "127.0.0.1", 17, "needs remotePort too, as in 'udp:0:remoteHost=127.0.0.1:remotePort=9999'")]
    [InlineData("datagram", "udp:0:remotePort=53", "53", 17, "needs remoteHost too")]
    [InlineData("datagram", "udp:0:remoteHost=:remotePort=53", "", 17, "the remote host is empty")]
    [InlineData("datagram", "udp:0:remoteHost=example.com:remotePort=53", "example.com", 17, "remoteHost must be an IP address (resolve host names first")]
    [InlineData("datagram", "udp:0:remoteHost=127.0.0.1:remotePort=0", "0", 38, "remotePort must be a whole number from 1 to 65535")]
    [InlineData("datagram", "udp:0:remoteHost=127.0.0.1:remotePort=dns", "dns", 38, "remotePort must be a whole number from 1 to 65535")]
    [InlineData("datagram", @"udp:0:interface=127.0.0.1:remoteHost=\:\:1:remotePort=53", "::1", 37, "remoteHost must be of the interface's family (InterNetwork)")]
    [InlineData("datagram", "udp:0:interface=localhost", "localhost", 16, "interface must be an IP address")]
    [InlineData("client", "tcp:host=a:port=1:timeout=86401", "86401", 26, "at most 86400")]
    public void Endpoint_BadString_FailsPointingAtTheBadPartAndSayingWhy(string kind, string description, string badPart, int position, string problem)
    {
        var error = Assert.Throws<FormatException>(() => Make(kind, description));

        Assert.Contains($"'{badPart}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"at position {position.ToString(CultureInfo.InvariantCulture)}:", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schemes_SchemeAddedToOneReactor_IsUnderstoodByThatReactorOnly()
    {
        // An application's own scheme: "local:PORT" listens on IPv4 loopback only.
        _reactor.Schemes.AddServer("local", (d, reactor) => reactor.ServerEndpoint($"tcp:{d.Inner}:interface=127.0.0.1"));
        using var other = new SocketReactor();

        var endpoint = (TcpServerEndpoint)_reactor.ServerEndpoint("LOCAL:8000");

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8000), endpoint.EndPoint);
        Assert.Contains("local", _reactor.Schemes.ServerSchemes);
        var error = Assert.Throws<FormatException>(() => other.ServerEndpoint("local:8000"));
        Assert.Contains("no server endpoint has this scheme", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schemes_SharedScheme_IsUnderstoodBySocketAndSimulatedReactorsAlike()
    {
        // A wrapping scheme registered once for the process, on top of whatever transport the reactor has.
        EndpointSchemes.Shared.AddClient("rxnet-spec-wrap", (d, reactor) => reactor.ClientEndpoint(d.Inner));
        var simulated = new Testing.SimulatedNetwork(new Microsoft.Reactive.Testing.TestScheduler()).Host("a").Reactor;

        var real = (TcpClientEndpoint)_reactor.ClientEndpoint("rxnet-spec-wrap:tcp:host=localhost:port=80");
        var virtualOne = simulated.ClientEndpoint("rxnet-spec-wrap:tcp:host=b:port=80");

        Assert.Equal("localhost", real.Host);
        Assert.NotNull(virtualOne);
    }

    [Fact]
    public void Schemes_ReactorsOwnScheme_WinsOverASharedOneOfTheSameName()
    {
        EndpointSchemes.Shared.AddServer("rxnet-spec-both", (_, _) => throw new InvalidOperationException("the shared one"));
        _reactor.Schemes.AddServer("rxnet-spec-both", (_, _) => new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0)));
        using var other = new SocketReactor();

        Assert.IsType<TcpServerEndpoint>(_reactor.ServerEndpoint("rxnet-spec-both:x"));
        Assert.Throws<InvalidOperationException>(() => other.ServerEndpoint("rxnet-spec-both:x"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a:b")]
    [InlineData("a\\b")]
    public void Schemes_BadSchemeName_IsRefusedWhenAdded(string scheme)
    {
        Assert.ThrowsAny<ArgumentException>(() => new EndpointSchemes().AddServer(scheme, (d, r) => r.ServerEndpoint(d.Inner)));
    }

    private object Make(string kind, string description) => kind switch
    {
        "server" => _reactor.ServerEndpoint(description),
        "client" => _reactor.ClientEndpoint(description),
        _ => _reactor.DatagramEndpoint(description),
    };
}
