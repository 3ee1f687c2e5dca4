using Xunit;

namespace Demos.Specs;

/// <summary>The seed's echo server and client, run as a user runs them, against each other and against nc.</summary>
[Trait("Category", "Integration")]
public sealed class EchoDemoSpecs
{
    private const int Sigterm = 15;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("rx")]
    [InlineData("twisted")]
    public async Task EchoServer_NcSendsLines_EchoesThemBack(string style)
    {
        using var server = DemoProcess.Demo("EchoServer", "--style", style, "--listen", "tcp:0:interface=127.0.0.1");
        int port = await server.Listening(Timeout);

        // -N: nc half-closes after stdin ends, so the echo server finishes and nc exits.
        using var nc = DemoProcess.Tool("nc", "netcat-openbsd", "-N", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await nc.Input.WriteAsync("hello\nsecond line\n");
        nc.Input.Close();
        Assert.Equal(0, await nc.ExitCode(Timeout));
        Assert.Equal("hello\nsecond line\n", nc.Output);
    }

    [Theory]
    [InlineData("rx", "rx")]
    [InlineData("rx", "twisted")]
    [InlineData("twisted", "rx")]
    [InlineData("twisted", "twisted")]
    public async Task EchoClient_TalksToEchoServer_PrintsReceivedGreeting(string serverStyle, string clientStyle)
    {
        using var server = DemoProcess.Demo("EchoServer", "--style", serverStyle, "--listen", "tcp:0:interface=127.0.0.1");
        int port = await server.Listening(Timeout);

        using var client = DemoProcess.Demo("EchoClient", "--style", clientStyle, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, await client.ExitCode(Timeout));
        Assert.StartsWith("Received: Hello, RxNet Server!\n", client.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EchoServer_BarePortArgument_ListensThere()
    {
        // A port is free when we look and may be taken by another process before the server binds
        // it; a bind failure is told apart and retried with another port, so luck cannot fail this.
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int free;
            using (var probe = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp))
            {
                probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
                free = ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
            }
            using var server = DemoProcess.Demo("EchoServer", free.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var listening = server.Listening(Timeout);
            var exited = server.ExitCode(Timeout);
            if (await Task.WhenAny(listening, exited) == listening)
            {
                Assert.Equal(free, await listening);
                return;
            }
            Assert.Contains("Cannot listen", server.Errors, StringComparison.Ordinal);
        }
        Assert.Fail("five free ports in a row were taken before the server could bind them");
    }

    [Theory]
    [InlineData("rx")]
    [InlineData("twisted")]
    public async Task EchoServer_Sigterm_ExitsWithZero(string style)
    {
        using var server = DemoProcess.Demo("EchoServer", "--style", style, "--listen", "tcp:0:interface=127.0.0.1");
        await server.Listening(Timeout);
        server.Signal(Sigterm);
        Assert.Equal(0, await server.ExitCode(Timeout));
    }

    [Fact]
    public async Task EchoServer_BadEndpoint_ExitsWithMessagePointingAtIt()
    {
        using var server = DemoProcess.Demo("EchoServer", "--listen", "tcp:80000");
        Assert.Equal(1, await server.ExitCode(Timeout));
        Assert.Contains("80000", server.Errors, StringComparison.Ordinal);
        Assert.Contains("port must be a whole number from 0 to 65535", server.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rx")]
    [InlineData("twisted")]
    public async Task EchoClient_NoServer_ReportsConnectionFailed(string style)
    {
        // A socket bound but not listening holds the port, so connecting to it is refused.
        using var holder = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        holder.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int port = ((System.Net.IPEndPoint)holder.LocalEndPoint!).Port;

        using var client = DemoProcess.Demo("EchoClient", "--style", style, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, await client.ExitCode(Timeout));
        Assert.Contains("Connection failed", client.Output, StringComparison.Ordinal);
        Assert.Contains("refused", client.Output, StringComparison.Ordinal);
    }
}
