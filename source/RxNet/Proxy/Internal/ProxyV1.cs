using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RxNet.Policies.Internal;

namespace RxNet.Proxy.Internal;

/// <summary>The text header of the PROXY protocol, version 1: <c>PROXY TCP4 src dst sport dport\r\n</c>, 107 bytes at most.</summary>
internal static class ProxyV1
{
    /// <summary>The longest line, CRLF included: <c>PROXY UNKNOWN</c> with two full IPv6 addresses and ports.</summary>
    public const int MaxLength = 107;

    /// <summary>What every version 1 header starts with.</summary>
    public static ReadOnlySpan<byte> Signature => "PROXY "u8;

    /// <summary>The header as the bytes to send.</summary>
    public static byte[] Format(ProxyHeader header)
    {
        if (header.Command == ProxyCommand.Local || header.Source is not IPEndPoint source || header.Destination is not IPEndPoint destination
            || header.SocketType != SocketType.Stream)
            return "PROXY UNKNOWN\r\n"u8.ToArray();
        string protocol = source.AddressFamily == AddressFamily.InterNetwork ? "TCP4" : "TCP6";
        return Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"PROXY {protocol} {Text(source.Address)} {Text(destination.Address)} {source.Port} {destination.Port}\r\n"));
    }

    /// <summary>Parses the fields between <c>PROXY </c> and the CRLF.</summary>
    /// <exception cref="ProxyProtocolException">A field is wrong.</exception>
    public static ProxyHeader Parse(ReadOnlySpan<byte> fields)
    {
        int space = fields.IndexOf((byte)' ');
        var protocol = space < 0 ? fields : fields[..space];
        if (protocol.SequenceEqual("UNKNOWN"u8))
            return ProxyHeader.V1Unknown; // the receiver must ignore whatever follows, up to the CRLF
        bool v4 = protocol.SequenceEqual("TCP4"u8);
        if (!v4 && !protocol.SequenceEqual("TCP6"u8))
            throw ProxyProtocolException.Bad($"version 1 protocol {Quote(protocol)} is not TCP4, TCP6 or UNKNOWN");
        string name = v4 ? "TCP4" : "TCP6";
        if (space < 0)
            throw ProxyProtocolException.Bad($"version 1 {name} takes 4 fields after the protocol (source, destination, source port, destination port), got none: {Quote(fields)}");
        var parts = new string[4];
        int count = 0;
        var rest = fields[(space + 1)..];
        while (true)
        {
            int next = rest.IndexOf((byte)' ');
            var part = next < 0 ? rest : rest[..next];
            if (part.IsEmpty)
                throw ProxyProtocolException.Bad($"version 1 {name} fields must be separated by exactly one space: {Quote(fields)}");
            if (count == 4)
                throw ProxyProtocolException.Bad($"version 1 {name} takes 4 fields after the protocol (source, destination, source port, destination port), got more: {Quote(fields)}");
            parts[count++] = Encoding.Latin1.GetString(part);
            if (next < 0)
                break;
            rest = rest[(next + 1)..];
        }
        if (count < 4)
            throw ProxyProtocolException.Bad($"version 1 {name} takes 4 fields after the protocol (source, destination, source port, destination port), got {count}: {Quote(fields)}");
        var source = Address(parts[0], v4, "source");
        var destination = Address(parts[1], v4, "destination");
        int sourcePort = Port(parts[2], "source");
        int destinationPort = Port(parts[3], "destination");
        return ProxyHeader.Decoded(1, ProxyCommand.Proxy, v4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6, SocketType.Stream,
            new IPEndPoint(source, sourcePort), new IPEndPoint(destination, destinationPort), []);
    }

    /// <summary>An address without its IPv6 scope, which the header cannot carry.</summary>
    private static string Text(IPAddress address) => new IPAddress(address.GetAddressBytes()).ToString();

    private static IPAddress Address(string text, bool v4, string which)
    {
        if (v4 ? TryParseV4(text, out var address) : TryParseV6(text, out address))
            return address;
        throw ProxyProtocolException.Bad($"version 1 {which} address '{text}' is not an {(v4 ? "IPv4 address (four numbers 0 to 255 without leading zeros)" : "IPv6 address")}");
    }

    /// <summary>Exactly four decimal numbers of 0 to 255 without leading zeros (the spec forbids them: octal confusion).</summary>
    private static bool TryParseV4(string text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> bytes = stackalloc byte[4];
        var parts = text.Split('.');
        if (parts.Length != 4)
            return false;
        for (int i = 0; i < 4; i++)
        {
            if (!TryNumber(parts[i], 3, out int n) || n > 255)
                return false;
            bytes[i] = (byte)n;
        }
        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>Hexadecimal groups and colons (a dotted IPv4 tail allowed, as senders print mapped addresses); no scope.</summary>
    private static bool TryParseV6(string text, out IPAddress address)
    {
        address = IPAddress.IPv6None;
        foreach (char c in text)
        {
            if (!(char.IsAsciiHexDigit(c) || c is ':' or '.'))
                return false;
        }
        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        address = parsed;
        return true;
    }

    private static int Port(string text, string which) =>
        TryNumber(text, 5, out int port) && port <= 65535
            ? port
            : throw ProxyProtocolException.Bad($"version 1 {which} port '{text}' is not a number from 0 to 65535 without leading zeros");

    private static bool TryNumber(string text, int maxDigits, out int value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > maxDigits || (text.Length > 1 && text[0] == '0'))
            return false;
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
                return false;
            value = (value * 10) + (c - '0');
        }
        return true;
    }

    /// <summary>Bytes as quoted, escaped text for a message.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes) => TrafficLogConnection.Preview(bytes, 64);
}
