using System.Net;
using Xunit;

namespace RxNet.Specs.Endpoints;

/// <summary>
/// The readers every reactor shares for <c>tcp:</c>, <c>tcp6:</c> and <c>udp:</c> strings: what a valid string gives,
/// and that a bad one fails with the key at fault and the reason.
/// </summary>
public sealed class EndpointParametersSpecs
{
    [Fact]
    public void TcpServerParametersReadLayered_LayerKeysBesideTcpOnes_ReadsTheTcpPartAndLeavesTheLayersKeys()
    {
        var d = EndpointDescription.Parse("tls:8443:interface=127.0.0.1:backlog=16:rcvbuf=4096:certificate=c.pem");

        var parameters = TcpServerParameters.ReadLayered(d, "tls:8443:certificate=c.pem", "a TLS server", "certificate");

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8443), parameters.EndPoint);
        Assert.Equal(16, parameters.Backlog);
        Assert.Equal(4096, parameters.ReceiveBufferSize);
        var unknown = Assert.Throws<FormatException>(() => TcpServerParameters.ReadLayered(d, "tls:8443", "a TLS server"));
        Assert.Contains("'certificate': unknown parameter; a TLS server takes port, interface, backlog, sndbuf and rcvbuf", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TcpServerParameters_EveryKey_GivesTheAddressPortAndBacklog()
    {
        var parameters = TcpServerParameters.Read(EndpointDescription.Parse("tcp:port=8000:interface=127.0.0.1:backlog=128"));

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8000), parameters.EndPoint);
        Assert.Equal(128, parameters.Backlog);
    }

    [Theory]
    [InlineData("tcp:0", "0.0.0.0")]
    [InlineData("tcp6:0", "::")]
    public void TcpServerParameters_NoInterface_BindsEveryInterfaceOfTheSchemesFamily(string description, string any)
    {
        var parameters = TcpServerParameters.Read(EndpointDescription.Parse(description));

        Assert.Equal(IPAddress.Parse(any), parameters.EndPoint.Address);
        Assert.Null(parameters.Backlog);
    }

    [Theory]
    [InlineData("tcp:8000:interface=garbage", "interface must be an IP address")]
    [InlineData(@"tcp:8000:interface=\:\:1", "'tcp:' takes an IPv4 interface; use 'tcp6:' for IPv6")]
    [InlineData("tcp:8000:backlog=70000", "backlog must be a whole number from 1 to 65535")]
    [InlineData("tcp:8000:timeout=5", "a TCP server takes port, interface, backlog, sndbuf and rcvbuf")]
    [InlineData("udp:8000", "a TCP server endpoint starts with 'tcp:' or 'tcp6:'")]
    public void TcpServerParameters_BadString_FailsSayingWhy(string description, string problem)
    {
        var error = Assert.Throws<FormatException>(() => TcpServerParameters.Read(EndpointDescription.Parse(description)));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp:host=example.com:port=80:timeout=2.5")]
    [InlineData("tcp:example.com:80:timeout=2.5")]
    public void TcpClientParameters_NamedOrTwistedPositionalForm_GivesHostPortAndTimeout(string description)
    {
        var parameters = TcpClientParameters.Read(EndpointDescription.Parse(description));

        Assert.Equal(new TcpClientParameters("example.com", 80, TimeSpan.FromSeconds(2.5)), parameters);
    }

    [Theory]
    [InlineData("tcp:host=a:port=0", "port must be a whole number from 1 to 65535")]
    [InlineData("tcp:host=a:port=1:backlog=5", "a TCP client takes host, port, timeout, sndbuf and rcvbuf")]
    [InlineData("tcp:port=1", "a host is required")]
    public void TcpClientParameters_BadString_FailsSayingWhy(string description, string problem)
    {
        var error = Assert.Throws<FormatException>(() => TcpClientParameters.Read(EndpointDescription.Parse(description)));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TcpServerParameters_BufferSizes_GivesThemInBytes()
    {
        var parameters = TcpServerParameters.Read(EndpointDescription.Parse("tcp:0:sndbuf=32768:rcvbuf=65536"));

        Assert.Equal(32768, parameters.SendBufferSize);
        Assert.Equal(65536, parameters.ReceiveBufferSize);
    }

    [Fact]
    public void TcpClientParameters_BufferSizes_GivesThemInBytes()
    {
        var parameters = TcpClientParameters.Read(EndpointDescription.Parse("tcp:example.com:80:sndbuf=4096:rcvbuf=8192"));

        Assert.Equal(4096, parameters.SendBufferSize);
        Assert.Equal(8192, parameters.ReceiveBufferSize);
    }

    [Fact]
    public void TcpParameters_NoBufferSizes_LeavesThemToTheSystem()
    {
        var server = TcpServerParameters.Read(EndpointDescription.Parse("tcp:0"));
        var client = TcpClientParameters.Read(EndpointDescription.Parse("tcp:example.com:80"));

        Assert.Equal((null, null), (server.SendBufferSize, server.ReceiveBufferSize));
        Assert.Equal((null, null), (client.SendBufferSize, client.ReceiveBufferSize));
    }

    [Theory]
    [InlineData("server", "tcp:0:sndbuf=0", "(sndbuf)", "sndbuf must be a whole number from 1 to 2147483647")]
    [InlineData("server", "tcp:0:rcvbuf=-1", "(rcvbuf)", "rcvbuf must be a whole number from 1 to 2147483647")]
    [InlineData("server", "tcp:0:rcvbuf=64k", "(rcvbuf)", "rcvbuf must be a whole number from 1 to 2147483647")]
    [InlineData("server", "tcp:0:sndbuf=9999999999", "(sndbuf)", "sndbuf must be a whole number from 1 to 2147483647")]
    [InlineData("client", "tcp:a:1:sndbuf=-5", "(sndbuf)", "sndbuf must be a whole number from 1 to 2147483647")]
    [InlineData("client", "tcp:a:1:rcvbuf=big", "(rcvbuf)", "rcvbuf must be a whole number from 1 to 2147483647")]
    public void TcpParameters_BadBufferSize_FailsNamingTheKey(string kind, string description, string key, string problem)
    {
        var d = EndpointDescription.Parse(description);

        var error = Assert.Throws<FormatException>(() => kind == "server" ? (object)TcpServerParameters.Read(d) : TcpClientParameters.Read(d));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UdpParameters_ConnectedString_GivesTheInterfaceAndThePeerAsWritten()
    {
        var parameters = UdpParameters.Read(EndpointDescription.Parse("udp:0:interface=127.0.0.1:remoteHost=server:remotePort=53"));

        Assert.Equal(new UdpParameters(0, IPAddress.Loopback, new DnsEndPoint("server", 53)), parameters);
    }

    [Theory]
    [InlineData("udp:9999:interface=garbage", "interface must be an IP address")]
    [InlineData("udp:0:remoteHost=b", "a connected endpoint needs remotePort too")]
    [InlineData("tcp:9999", "a UDP endpoint starts with 'udp:'")]
    public void UdpParameters_BadString_FailsSayingWhy(string description, string problem)
    {
        var error = Assert.Throws<FormatException>(() => UdpParameters.Read(EndpointDescription.Parse(description)));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
