using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RxNet.Proxy.Internal;
using Xunit;
using static RxNet.Specs.Proxy.ProxyHeaders;

namespace RxNet.Specs.Proxy;

/// <summary>The PROXY protocol encoder: the exact bytes of each version, CRC32C, and encoder → decoder round trips.</summary>
public sealed class ProxyHeaderEncoderSpecs
{
    private static readonly IPEndPoint Client4 = new(IPAddress.Parse("203.0.113.7"), 51234);
    private static readonly IPEndPoint Server4 = new(IPAddress.Parse("198.51.100.1"), 443);
    private static readonly IPEndPoint Client6 = new(IPAddress.Parse("2001:db8::7"), 51234);
    private static readonly IPEndPoint Server6 = new(IPAddress.Parse("2001:db8::1"), 443);

    [Fact]
    public void V1_Tcp4Tcp6AndUnknown_AreTheSpecsLines()
    {
        Assert.Equal("PROXY TCP4 203.0.113.7 198.51.100.1 51234 443\r\n", Encoding.ASCII.GetString(ProxyHeaderEncoder.ToArray(ProxyHeader.V1(Client4, Server4))));
        Assert.Equal("PROXY TCP6 2001:db8::7 2001:db8::1 51234 443\r\n", Encoding.ASCII.GetString(ProxyHeaderEncoder.ToArray(ProxyHeader.V1(Client6, Server6))));
        Assert.Equal("PROXY UNKNOWN\r\n", Encoding.ASCII.GetString(ProxyHeaderEncoder.ToArray(ProxyHeader.V1Unknown)));
    }

    [Fact]
    public void V2_Loopback8080To8888_IsTwistedsOwnTestHeaderByteForByte()
    {
        var header = ProxyHeader.V2(new IPEndPoint(IPAddress.Loopback, 8080), new IPEndPoint(IPAddress.Loopback, 8888));

        Assert.Equal(ProxyHeaderDecoderSpecs.TwistedIPv4Header, ProxyHeaderEncoder.ToArray(header));
    }

    [Fact]
    public void V2Local_IsSixteenBytesWithLocalCommandAndNoAddresses()
    {
        Assert.Equal([.. "\r\n\r\n\0\r\nQUIT\n"u8, 0x20, 0x00, 0x00, 0x00], ProxyHeaderEncoder.ToArray(ProxyHeader.V2Local()));
    }

    [Fact]
    public void Encode_ThroughABufferWriter_WritesTheSameBytes()
    {
        var writer = new ArrayBufferWriter<byte>();
        var header = ProxyHeader.V2(Client6, Server6);

        ProxyHeaderEncoder.Instance.Encode(header, writer);

        Assert.Equal(ProxyHeaderEncoder.ToArray(header), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Crc32C_KnownVector_IsTheCastagnoliChecksum()
    {
        Assert.Equal(0xE3069283u, ProxyV2.Crc32C("123456789"u8));
    }

    [Fact]
    public void V2_WithACrc32CEntry_IsFilledInVerifiedOnDecodeAndRefusedOnceABitFlips()
    {
        var header = ProxyHeader.V2(Client4, Server4, tlvs: [new ProxyTlv(ProxyTlv.Crc32C, new byte[4]), new ProxyTlv(ProxyTlv.UniqueId, "conn-42"u8.ToArray())]);
        var bytes = ProxyHeaderEncoder.ToArray(header);
        uint sent = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16 + 12 + 3));
        var zeroed = (byte[])bytes.Clone();
        zeroed.AsSpan(16 + 12 + 3, 4).Clear();

        Assert.Equal(ProxyV2.Crc32C(zeroed), sent);
        Assert.NotEqual(0u, sent);
        var (decoded, _, error) = Run([bytes]);
        Assert.Null(error);
        Assert.Equal("conn-42", Encoding.ASCII.GetString(decoded!.Tlvs[1].Value.Span));

        bytes[^1] ^= 1;
        var (_, _, tampered) = Run([bytes]);
        Assert.Contains($"CRC32C mismatch: the header says 0x{sent:X8}", Assert.IsType<ProxyProtocolException>(tampered).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Headers() => [.. RoundTripHeaders.Keys];

    private static readonly Dictionary<string, ProxyHeader> RoundTripHeaders = new()
    {
        ["v1 TCP4"] = ProxyHeader.V1(Client4, Server4),
        ["v1 TCP6"] = ProxyHeader.V1(Client6, Server6),
        ["v1 TCP6 extremes"] = ProxyHeader.V1(new IPEndPoint(IPAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 65535), new IPEndPoint(IPAddress.IPv6Any, 0)),
        ["v1 UNKNOWN"] = ProxyHeader.V1Unknown,
        ["v2 TCP4"] = ProxyHeader.V2(Client4, Server4),
        ["v2 TCP6 + TLVs"] = ProxyHeader.V2(Client6, Server6, tlvs: [new ProxyTlv(ProxyTlv.Alpn, "h2"u8.ToArray()), new ProxyTlv(ProxyTlv.Authority, "example.com"u8.ToArray()), new ProxyTlv(0xE0, new byte[300])]),
        ["v2 UDP4"] = ProxyHeader.V2(Client4, Server4, SocketType.Dgram),
        ["v2 UDP6 + CRC"] = ProxyHeader.V2(Client6, Server6, SocketType.Dgram, [new ProxyTlv(ProxyTlv.Crc32C, new byte[4])]),
        ["v2 UNIX"] = ProxyHeader.V2(new UnixDomainSocketEndPoint("/tmp/a"), new UnixDomainSocketEndPoint("/tmp/b")),
        ["v2 LOCAL"] = ProxyHeader.V2Local(),
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void RoundTrip_EncodedThenDecodedAtEveryCut_GivesTheSameHeaderAndLeavesThePayload(string name)
    {
        var header = RoundTripHeaders[name];
        var bytes = Concat(ProxyHeaderEncoder.ToArray(header), "after"u8.ToArray());
        var cuts = bytes.Length < 120 ? Chunking.Boundaries(bytes) : Chunking.Boundaries(bytes).Take(3000);
        foreach (var chunks in cuts)
        {
            var (decoded, rest, error) = Run(chunks);

            Assert.Null(error);
            Assert.Equal(header.Version, decoded!.Version);
            Assert.Equal(header.Command, decoded.Command);
            Assert.Equal(header.AddressFamily, decoded.AddressFamily);
            Assert.Equal(header.SocketType, decoded.SocketType);
            Assert.Equal(header.Source?.ToString(), decoded.Source?.ToString());
            Assert.Equal(header.Destination?.ToString(), decoded.Destination?.ToString());
            Assert.Equal(header.Tlvs.Select(t => t.Type), decoded.Tlvs.Select(t => t.Type));
            Assert.Equal(header.Tlvs.Where(t => t.Type != ProxyTlv.Crc32C).Select(t => Convert.ToHexString(t.Value.Span)),
                decoded.Tlvs.Where(t => t.Type != ProxyTlv.Crc32C).Select(t => Convert.ToHexString(t.Value.Span)));
            Assert.Equal("after"u8.ToArray(), rest);
        }
    }

    [Fact]
    public void Factories_MixedOrUnsupportedAddresses_AreRefusedAtOnce()
    {
        Assert.Throws<ArgumentException>(() => ProxyHeader.V1(Client4, Server6));
        Assert.Throws<ArgumentException>(() => ProxyHeader.V2(Client4, new UnixDomainSocketEndPoint("/tmp/x")));
        Assert.Throws<ArgumentException>(() => ProxyHeader.V2(Client4, new DnsEndPoint("example.com", 80)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProxyHeader.V2(Client4, Server4, SocketType.Raw));
        Assert.Throws<ArgumentException>(() => ProxyHeader.V2(Client4, Server4, tlvs: [new ProxyTlv(ProxyTlv.Crc32C, new byte[2])]));
        Assert.Throws<ArgumentException>(() => ProxyHeader.V2(Client4, Server4, tlvs: [new ProxyTlv(0xE0, new byte[40_000]), new ProxyTlv(0xE1, new byte[40_000])]));
    }
}
