using System.Net;
using System.Net.Sockets;
using System.Text;
using RxNet.Specs.Framing;
using Xunit;
using static RxNet.Specs.Proxy.ProxyHeaders;

namespace RxNet.Specs.Proxy;

/// <summary>The PROXY protocol decoder: every version and family at every cut of its input with the client's bytes
/// behind it, the 107-byte limit, and each malformed header with the message it gets.</summary>
public sealed class ProxyHeaderDecoderSpecs
{
    private static readonly byte[] Payload = "GET / HTTP/1.1\r\n\r\n"u8.ToArray();

    /// <summary>Twisted's own v2 IPv4 test header (twisted.protocols.haproxy.test.test_v2parser): 127.0.0.1:8080 → 127.0.0.1:8888.</summary>
    internal static readonly byte[] TwistedIPv4Header =
        [.. "\r\n\r\n\0\r\nQUIT\n"u8, 0x21, 0x11, 0x00, 0x0C, 127, 0, 0, 1, 127, 0, 0, 1, 0x1F, 0x90, 0x22, 0xB8];

    [Fact]
    public void V1Tcp4_EveryCutWithPayloadBehind_GivesTheAddressesAndEveryPayloadByteOnce()
    {
        var input = Concat(Encoding.ASCII.GetBytes("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"), Payload);
        foreach (var chunks in Chunking.Boundaries(input))
        {
            var (header, rest, error) = Run(chunks);

            Assert.Null(error);
            Assert.Equal(1, header!.Version);
            Assert.Equal(ProxyCommand.Proxy, header.Command);
            Assert.Equal(AddressFamily.InterNetwork, header.AddressFamily);
            Assert.Equal(SocketType.Stream, header.SocketType);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.0.1"), 56324), header.Source);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.0.11"), 443), header.Destination);
            Assert.Equal(Payload, rest);
        }
    }

    [Fact]
    public void V1Tcp6_EveryCut_GivesTheIPv6Addresses()
    {
        var input = Concat(Encoding.ASCII.GetBytes("PROXY TCP6 2001:db8::1 FFFF:f:0:0:0:0:0:ffff 65535 0\r\n"), Payload);
        foreach (var chunks in Chunking.Boundaries(input))
        {
            var (header, rest, error) = Run(chunks);

            Assert.Null(error);
            Assert.Equal(AddressFamily.InterNetworkV6, header!.AddressFamily);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 65535), header.Source);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("ffff:f::ffff"), 0), header.Destination);
            Assert.Equal(Payload, rest);
        }
    }

    [Theory]
    [InlineData("PROXY UNKNOWN\r\n")]
    [InlineData("PROXY UNKNOWN ffff::1 ::2 1 2\r\n")]
    [InlineData("PROXY UNKNOWN anything at all, ignored\r\n")]
    public void V1Unknown_EverySplit_HasNoAddressesAndIgnoresTheRestOfTheLine(string line)
    {
        var bytes = Encoding.ASCII.GetBytes(line + "hi");
        var splits = bytes.Length <= 18 ? Chunking.All(bytes) : Chunking.Boundaries(bytes);
        foreach (var chunks in splits)
        {
            var (header, rest, error) = Run(chunks);

            Assert.Null(error);
            Assert.Equal(1, header!.Version);
            Assert.Equal(AddressFamily.Unspecified, header.AddressFamily);
            Assert.Null(header.Source);
            Assert.Null(header.Destination);
            Assert.Equal("hi"u8.ToArray(), rest);
        }
    }

    [Fact]
    public void V1_LineOfExactly107Bytes_IsAccepted()
    {
        var line = Encoding.ASCII.GetBytes("PROXY UNKNOWN " + new string('f', 91) + "\r\n");
        Assert.Equal(107, line.Length);

        var (header, rest, error) = Run([line, Payload]);

        Assert.Null(error);
        Assert.Same(ProxyHeader.V1Unknown, header);
        Assert.Equal(Payload, rest);
    }

    [Fact]
    public void V1_NoCrlfIn107Bytes_FailsAtThe107thByteWithoutWaitingForMore()
    {
        var line = Encoding.ASCII.GetBytes("PROXY UNKNOWN " + new string('f', 93));
        Assert.Equal(107, line.Length);
        foreach (var chunks in new[] { new[] { line }, line.Select(b => new[] { b }).ToArray() })
        {
            var (header, _, error) = Run(chunks);

            Assert.Null(header);
            var e = Assert.IsType<ProxyProtocolException>(error);
            Assert.StartsWith("Bad PROXY protocol header: no CRLF in the first 107 bytes of a version 1 header", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void V1_CrAsThe107thByte_FailsAsTooLong()
    {
        var line = Encoding.ASCII.GetBytes("PROXY UNKNOWN " + new string('f', 92) + "\r\n");
        Assert.Equal(108, line.Length);

        var (_, _, error) = Run([line]);

        Assert.Contains("no CRLF in the first 107 bytes", Assert.IsType<ProxyProtocolException>(error).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n", "the connection starts with \"G\", which is neither \"PROXY \" (version 1) nor the version 2 signature")]
    [InlineData("proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n", "the connection starts with \"p\"")]
    [InlineData("PROXY\r\n", "the connection starts with \"PROXY\\r\", which is neither")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", "a lone LF at byte 31 of a version 1 header, which must end with CRLF")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rx\r\n", "a lone CR at byte 31 of a version 1 header")]
    [InlineData("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", "version 1 protocol \"TCP5\" is not TCP4, TCP6 or UNKNOWN")]
    [InlineData("PROXY TCP4\r\n", "version 1 TCP4 takes 4 fields after the protocol (source, destination, source port, destination port), got none")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", "got 3")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", "got more")]
    [InlineData("PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n", "fields must be separated by exactly one space")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", "fields must be separated by exactly one space")]
    [InlineData("PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", "version 1 source address '1.2.3' is not an IPv4 address")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.256 1 2\r\n", "version 1 destination address '5.6.7.256' is not an IPv4 address")]
    [InlineData("PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n", "version 1 source address '01.2.3.4' is not an IPv4 address (four numbers 0 to 255 without leading zeros)")]
    [InlineData("PROXY TCP4 ::1 ::1 1 2\r\n", "version 1 source address '::1' is not an IPv4 address")]
    [InlineData("PROXY TCP6 1.2.3.4 ::1 1 2\r\n", "version 1 source address '1.2.3.4' is not an IPv6 address")]
    [InlineData("PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n", "version 1 source address 'fe80::1%eth0' is not an IPv6 address")]
    [InlineData("PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n", "version 1 source address '1:2:3:4:5:6:7:8:9' is not an IPv6 address")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n", "version 1 source port '65536' is not a number from 0 to 65535 without leading zeros")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 080\r\n", "version 1 destination port '080' is not a number")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 -2\r\n", "version 1 destination port '-2' is not a number")]
    public void V1_Malformed_FailsWithAMessageSayingWhat(string input, string message) =>
        AssertFailsWholeAndByteByByte(Encoding.Latin1.GetBytes(input), message);

    [Fact]
    public void V2Proxy_TwistedsIPv4TestHeaderAtEveryCut_GivesItsAddressesAndThePayload()
    {
        foreach (var chunks in Chunking.Boundaries(Concat(TwistedIPv4Header, Payload)))
        {
            var (header, rest, error) = Run(chunks);

            Assert.Null(error);
            Assert.Equal(2, header!.Version);
            Assert.Equal(ProxyCommand.Proxy, header.Command);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), header.Source);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8888), header.Destination);
            Assert.Empty(header.Tlvs);
            Assert.Equal(Payload, rest);
        }
    }

    [Fact]
    public void V2Proxy_IPv6WithTlvsAtEveryCut_GivesTheAddressesAndEachTlv()
    {
        var header = ProxyHeader.V2(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 4711), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 443),
            tlvs: [new ProxyTlv(ProxyTlv.Authority, "example.com"u8.ToArray()), new ProxyTlv(ProxyTlv.Noop, Array.Empty<byte>()), new ProxyTlv(0xE1, new byte[] { 1, 2, 3 })]);
        var bytes = ProxyHeaderEncoder.ToArray(header);
        foreach (var chunks in Chunking.Boundaries(Concat(bytes, Payload)))
        {
            var (decoded, rest, error) = Run(chunks);

            Assert.Null(error);
            Assert.Equal(AddressFamily.InterNetworkV6, decoded!.AddressFamily);
            Assert.Equal(header.Source, decoded.Source);
            Assert.Equal(header.Destination, decoded.Destination);
            Assert.Equal([ProxyTlv.Authority, ProxyTlv.Noop, (byte)0xE1], decoded.Tlvs.Select(t => t.Type));
            Assert.True(decoded.TryGetTlv(ProxyTlv.Authority, out var authority));
            Assert.Equal("example.com", Encoding.UTF8.GetString(authority.Span));
            Assert.Equal(new byte[] { 1, 2, 3 }, decoded.Tlvs[2].Value.ToArray());
            Assert.Equal(Payload, rest);
        }
    }

    [Fact]
    public void V2Local_WithAddressesAndJunkInItsBlock_IsAcceptedWithoutAddressesAsTheSpecAsks()
    {
        byte[] bytes = [.. "\r\n\r\n\0\r\nQUIT\n"u8, 0x20, 0x11, 0x00, 0x05, 1, 2, 3, 4, 5];
        foreach (var chunks in Chunking.Boundaries(Concat(bytes, Payload)))
        {
            var (header, rest, error) = Run(chunks);

            Assert.Null(error);
            Assert.Equal(ProxyCommand.Local, header!.Command);
            Assert.Null(header.Source);
            Assert.Empty(header.Tlvs);
            Assert.Equal(Payload, rest);
        }
    }

    [Fact]
    public void V2Proxy_UnspecifiedFamily_SkipsItsBlockAndHasNoAddresses()
    {
        byte[] bytes = [.. "\r\n\r\n\0\r\nQUIT\n"u8, 0x21, 0x00, 0x00, 0x03, 9, 9, 9];

        var (header, rest, error) = Run([Concat(bytes, Payload)]);

        Assert.Null(error);
        Assert.Equal(ProxyCommand.Proxy, header!.Command);
        Assert.Equal(AddressFamily.Unspecified, header.AddressFamily);
        Assert.Null(header.Source);
        Assert.Equal(Payload, rest);
    }

    [Fact]
    public void V2Proxy_UdpAndUnixFamilies_AreDecoded()
    {
        var udp = ProxyHeader.V2(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 53), new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5353), SocketType.Dgram);
        var unix = ProxyHeader.V2(new UnixDomainSocketEndPoint("/run/client.sock"), new UnixDomainSocketEndPoint("/run/server.sock"));

        var (decodedUdp, _, udpError) = Run([ProxyHeaderEncoder.ToArray(udp)]);
        var (decodedUnix, _, unixError) = Run([ProxyHeaderEncoder.ToArray(unix)]);

        Assert.Null(udpError);
        Assert.Equal(SocketType.Dgram, decodedUdp!.SocketType);
        Assert.Equal(udp.Source, decodedUdp.Source);
        Assert.Equal("v2 PROXY UDP4 10.0.0.1:53 -> 10.0.0.2:5353", decodedUdp.ToString());
        Assert.Null(unixError);
        Assert.Equal(AddressFamily.Unix, decodedUnix!.AddressFamily);
        Assert.Equal("/run/client.sock", decodedUnix.Source!.ToString());
        Assert.Equal("/run/server.sock", decodedUnix.Destination!.ToString());
    }

    [Theory]
    [InlineData("0D0A0D0A000D0A515549540A31", "version 2 signature followed by version 3 (byte 13 is 0x31; only 0x20 LOCAL and 0x21 PROXY are valid)")]
    [InlineData("0D0A0D0A000D0A515549540A22", "unknown version 2 command 2 (byte 13 is 0x22; only 0x20 LOCAL and 0x21 PROXY are valid)")]
    [InlineData("0D0A0D0A000D0A515549540A21410000", "unknown version 2 address family and transport 0x41 (byte 14; valid are 0x00, 0x11, 0x12, 0x21, 0x22, 0x31 and 0x32)")]
    [InlineData("0D0A0D0A000D0A515549540A21130000", "unknown version 2 address family and transport 0x13")]
    [InlineData("0D0A0D0A000D0A515549540A2111000801020304050607 08", "version 2 length 8 is too short for the 12 bytes of two IPv4 addresses")]
    [InlineData("0D0A0D0A000D0A515549540A2121000C 7F0000017F000001 1F9022B8", "version 2 length 12 is too short for the 36 bytes of two IPv6 addresses")]
    [InlineData("0D0A0D0A000D0A515549540A2111000F 7F0000017F0000011F9022B8 E10005", "TLV 0xE1 at offset 28 claims 5 bytes but only 0 remain in the header")]
    [InlineData("0D0A0D0A000D0A515549540A2111000E 7F0000017F0000011F9022B8 0400", "2 stray bytes after the last TLV at offset 28 (a TLV takes 3 bytes or more)")]
    [InlineData("0D0A0D0A000D0A515549540A2111000F 7F0000017F0000011F9022B8 030000", "CRC32C TLV of 0 bytes (it has 4)")]
    [InlineData("0D0A0D0A000D0A515549540A2111 0013 7F0000017F0000011F9022B8 03000400000000", "CRC32C mismatch: the header says 0x00000000, its bytes give 0x")]
    [InlineData("0D0A0D0A000D0A51", "the connection ended after 8 bytes, inside the header")]
    [InlineData("0D0A0D0A000D0A515549540A2111000C7F00", "the connection ended after 18 bytes, inside the header")]
    [InlineData("0D0A0D0A0D0A", "the connection starts with \"\\r\\n\\r\\n\\r\", which is neither")]
    public void V2_Malformed_FailsWithAMessageSayingWhat(string hex, string message) =>
        AssertFailsWholeAndByteByByte(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), message);

    [Fact]
    public void Decoder_VersionNotAccepted_FailsNamingTheVersions()
    {
        var (_, _, v1Error) = Run([Encoding.ASCII.GetBytes("PROXY UNKNOWN\r\n")], ProxyProtocolVersions.V2);
        var (_, _, v2Error) = Run([TwistedIPv4Header], ProxyProtocolVersions.V1);

        Assert.Equal("Bad PROXY protocol header: a version 1 header, but this server accepts version 2 only.", v1Error!.Message);
        Assert.Equal("Bad PROXY protocol header: a version 2 header, but this server accepts version 1 only.", v2Error!.Message);
    }

    [Fact]
    public void Decoder_EndedBeforeAnyByteOfAHeaderIsComplete_FailsSayingHowMuchCame()
    {
        var (_, _, error) = Run([Encoding.ASCII.GetBytes("PROXY TCP4 1.2")]);

        Assert.Equal("Bad PROXY protocol header: the connection ended after 14 bytes, inside the header: \"PROXY TCP4 1.2\".", error!.Message);
    }

    [Fact]
    public void Options_NoVersionOrNoTimeout_AreRefusedAtOnce()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyProtocolOptions { HeaderTimeout = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyProtocolOptions { Versions = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyProtocolOptions { Versions = (ProxyProtocolVersions)4 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyHeaderDecoder(0));
        Assert.Equal(TimeSpan.FromSeconds(10), ProxyProtocolOptions.Default.HeaderTimeout);
        Assert.Equal(ProxyProtocolVersions.Any, ProxyProtocolOptions.Default.Versions);
    }

    /// <summary>Feeds <paramref name="bytes"/> whole, then one byte at a time: each way must fail with a PROXY protocol
    /// error whose message says <paramref name="message"/>.</summary>
    private static void AssertFailsWholeAndByteByByte(byte[] bytes, string message)
    {
        foreach (var chunks in new[] { new[] { bytes }, bytes.Select(b => new[] { b }).ToArray() })
        {
            var (header, _, error) = Run(chunks);

            Assert.Null(header);
            var e = Assert.IsType<ProxyProtocolException>(error);
            Assert.StartsWith("Bad PROXY protocol header: ", e.Message, StringComparison.Ordinal);
            Assert.Contains(message, e.Message, StringComparison.Ordinal);
        }
    }
}
