using System.Globalization;
using System.Net;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>Twisted-style endpoint strings for TCP: what parses, and errors that point at the bad part.</summary>
public sealed class EndpointParseSpecs
{
    [Fact]
    public void ServerParse_PortOnly_ListensOnEveryIPv4Interface()
    {
        var endpoint = TcpServerEndpoint.Parse("tcp:8000");

        Assert.Equal(new IPEndPoint(IPAddress.Any, 8000), endpoint.EndPoint);
        Assert.Equal(TcpOptions.Default.Backlog, endpoint.Options.Backlog);
    }

    [Fact]
    public void ServerParse_NamedPortInterfaceAndBacklog_UsesThemAll()
    {
        var endpoint = TcpServerEndpoint.Parse("tcp:port=8000:interface=127.0.0.1:backlog=128");

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8000), endpoint.EndPoint);
        Assert.Equal(128, endpoint.Options.Backlog);
    }

    [Fact]
    public void ServerParse_Tcp6WithEscapedInterface_ListensOnIPv6Loopback()
    {
        var endpoint = TcpServerEndpoint.Parse(@"tcp6:8000:interface=\:\:1");

        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 8000), endpoint.EndPoint);
    }

    [Fact]
    public void ServerParse_Tcp6PortOnly_ListensOnEveryIPv6Interface()
    {
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 8000), TcpServerEndpoint.Parse("tcp6:8000").EndPoint);
    }

    [Fact]
    public void ServerParse_OptionsGiven_KeepsThoseTheStringDoesNotSet()
    {
        var endpoint = TcpServerEndpoint.Parse("tcp:8000:backlog=16", new TcpOptions { NoDelay = false });

        Assert.False(endpoint.Options.NoDelay);
        Assert.Equal(16, endpoint.Options.Backlog);
    }

    [Fact]
    public void ClientParse_HostPortAndTimeout_UsesThemAll()
    {
        var endpoint = TcpClientEndpoint.Parse("tcp:host=localhost:port=80:timeout=5");

        Assert.Equal("localhost", endpoint.Host);
        Assert.Equal(80, endpoint.Port);
        Assert.Equal(TimeSpan.FromSeconds(5), endpoint.Options.ConnectTimeout);
    }

    [Fact]
    public void ClientParse_PositionalHostAndPort_UsesThem()
    {
        var endpoint = TcpClientEndpoint.Parse("tcp:127.0.0.1:8000");

        Assert.Equal("127.0.0.1", endpoint.Host);
        Assert.Equal(8000, endpoint.Port);
        Assert.Equal(TcpOptions.Default.ConnectTimeout, endpoint.Options.ConnectTimeout);
    }

    [Fact]
    public void ClientParse_EscapedIPv6Host_Unescapes()
    {
        var endpoint = TcpClientEndpoint.Parse(@"tcp6:host=\:\:1:port=8000");

        Assert.Equal("::1", endpoint.Host);
        Assert.Equal(8000, endpoint.Port);
    }

    [Fact]
    public void ClientParse_ToStringOfAnEndpoint_ParsesBackToTheSame()
    {
        var endpoint = new TcpClientEndpoint("::1", 8000);

        var again = TcpClientEndpoint.Parse(endpoint.ToString());

        Assert.Equal(endpoint.Host, again.Host);
        Assert.Equal(endpoint.Port, again.Port);
    }

    [Theory]
    [InlineData("tcp:notaport", "notaport", 4)]
    [InlineData("tcp:70000", "70000", 4)]
    [InlineData("tcp:8000:interface=nothere", "nothere", 19)]
    [InlineData("tcp:8000:bogus=1", "bogus", 9)]
    [InlineData("udp:8000", "udp", 0)]
    [InlineData("tcp:8000:9000", "9000", 9)]
    [InlineData("tcp:8000:backlog=many", "many", 17)]
    [InlineData("tcp:interface=127.0.0.1", "tcp", 0)]
    public void ServerParse_BadString_FailsPointingAtTheBadPart(string description, string badPart, int position)
    {
        var error = Assert.Throws<FormatException>(() => TcpServerEndpoint.Parse(description));

        AssertPointsAt(error, description, badPart, position);
    }

    [Theory]
    [InlineData("tcp:host=localhost:port=http", "http", 24)]
    [InlineData("tcp:host=localhost:port=80:timeout=soon", "soon", 35)]
    [InlineData("tcp:host=localhost:port=80:bind=x", "bind", 27)]
    [InlineData("tcp:a:80:extra", "extra", 9)]
    [InlineData("unix:/tmp/x", "unix", 0)]
    [InlineData("tcp:port=80", "tcp", 0)]
    public void ClientParse_BadString_FailsPointingAtTheBadPart(string description, string badPart, int position)
    {
        var error = Assert.Throws<FormatException>(() => TcpClientEndpoint.Parse(description));

        AssertPointsAt(error, description, badPart, position);
    }

    [Theory]
    [InlineData("tcp:8000\\", 8, "backslash")]
    [InlineData("tcp:port=1:port=2", 11, "twice")]
    [InlineData("tcp", 3, "arguments")]
    [InlineData("=x:8000", 0, "scheme")]
    public void ServerParse_MalformedSyntax_FailsWithPosition(string description, int position, string problem)
    {
        var error = Assert.Throws<FormatException>(() => TcpServerEndpoint.Parse(description));

        Assert.Contains($"at position {position.ToString(CultureInfo.InvariantCulture)}:", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(description, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("server", "tcp:8000:backlog=0", "0", 17)]
    [InlineData("client", "tcp:host=localhost:port=80:timeout=0", "0", 35)]
    [InlineData("server", @"tcp:8000:interface=\:\:1", "::1", 19)]
    public void Parse_BadValueThatAlsoOccursEarlier_PointsAtTheValue(string side, string description, string badPart, int position)
    {
        var error = Assert.Throws<FormatException>(() =>
        {
            _ = side == "server" ? TcpServerEndpoint.Parse(description) : (object)TcpClientEndpoint.Parse(description);
        });

        AssertPointsAt(error, description, badPart, position);
    }

    private static void AssertPointsAt(FormatException error, string description, string badPart, int position)
    {
        Assert.Contains($"'{badPart}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"at position {position.ToString(CultureInfo.InvariantCulture)}:", error.Message, StringComparison.Ordinal);
        Assert.Contains(description, error.Message, StringComparison.Ordinal);
    }
}
