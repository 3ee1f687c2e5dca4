using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text;

namespace RxNet.Proxy.Internal;

/// <summary>The binary header of the PROXY protocol, version 2: a 16-byte fixed part, then the addresses and TLVs.</summary>
internal static class ProxyV2
{
    /// <summary>The fixed part: signature, version and command, family and transport, length.</summary>
    public const int FixedLength = 16;

    private const int UnixAddressLength = 108;

    /// <summary>The 12-byte signature (<c>\r\n\r\n\0\r\nQUIT\n</c>), chosen to be rejected by most other protocols.</summary>
    public static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>Checks bytes 13 and 14 as soon as they arrive, so that a bad header fails before its length is awaited.</summary>
    /// <exception cref="ProxyProtocolException">An unknown version or command.</exception>
    public static void CheckVersionAndCommand(byte versionAndCommand)
    {
        if (versionAndCommand >> 4 != 2)
            throw ProxyProtocolException.Bad(string.Create(CultureInfo.InvariantCulture,
                $"version 2 signature followed by version {versionAndCommand >> 4} (byte 13 is 0x{versionAndCommand:X2}; only 0x20 LOCAL and 0x21 PROXY are valid)"));
        if ((versionAndCommand & 0x0F) > 1)
            throw ProxyProtocolException.Bad(string.Create(CultureInfo.InvariantCulture,
                $"unknown version 2 command {versionAndCommand & 0x0F} (byte 13 is 0x{versionAndCommand:X2}; only 0x20 LOCAL and 0x21 PROXY are valid)"));
    }

    /// <summary>Parses a whole header (the 16 bytes and the block after them), which it owns.</summary>
    /// <exception cref="ProxyProtocolException">The header is wrong.</exception>
    public static ProxyHeader Parse(byte[] header)
    {
        if (header[12] == 0x20)
            return ProxyHeader.Decoded(2, ProxyCommand.Local, AddressFamily.Unspecified, SocketType.Unknown, null, null, []); // the block is ignored
        byte familyAndTransport = header[13];
        int blockLength = header.Length - FixedLength;
        var socketType = (familyAndTransport & 0x0F) == 1 ? SocketType.Stream : SocketType.Dgram;
        (AddressFamily family, int addressLength, string what) = familyAndTransport switch
        {
            0x00 => (AddressFamily.Unspecified, 0, ""),
            0x11 or 0x12 => (AddressFamily.InterNetwork, 12, "IPv4"),
            0x21 or 0x22 => (AddressFamily.InterNetworkV6, 36, "IPv6"),
            0x31 or 0x32 => (AddressFamily.Unix, 2 * UnixAddressLength, "Unix"),
            _ => throw ProxyProtocolException.Bad(string.Create(CultureInfo.InvariantCulture,
                $"unknown version 2 address family and transport 0x{familyAndTransport:X2} (byte 14; valid are 0x00, 0x11, 0x12, 0x21, 0x22, 0x31 and 0x32)")),
        };
        if (family == AddressFamily.Unspecified)
            return ProxyHeader.Decoded(2, ProxyCommand.Proxy, AddressFamily.Unspecified, SocketType.Unknown, null, null, []); // addresses ignored
        if (blockLength < addressLength)
            throw ProxyProtocolException.Bad(string.Create(CultureInfo.InvariantCulture,
                $"version 2 length {blockLength} is too short for the {addressLength} bytes of two {what} addresses"));
        var block = header.AsSpan(FixedLength);
        EndPoint source, destination;
        if (family == AddressFamily.Unix)
        {
            source = UnixEndPoint(block[..UnixAddressLength], "source");
            destination = UnixEndPoint(block[UnixAddressLength..(2 * UnixAddressLength)], "destination");
        }
        else
        {
            int size = addressLength == 12 ? 4 : 16;
            source = new IPEndPoint(new IPAddress(block[..size]), BinaryPrimitives.ReadUInt16BigEndian(block[(2 * size)..]));
            destination = new IPEndPoint(new IPAddress(block[size..(2 * size)]), BinaryPrimitives.ReadUInt16BigEndian(block[((2 * size) + 2)..]));
        }
        var tlvs = Tlvs(header, FixedLength + addressLength);
        return ProxyHeader.Decoded(2, ProxyCommand.Proxy, family, socketType, source, destination, tlvs);
    }

    /// <summary>The length of the block after the fixed part: addresses and TLVs.</summary>
    /// <exception cref="ArgumentException">It is above 65535.</exception>
    public static int Length(ProxyHeader header)
    {
        int length = header.Command == ProxyCommand.Local ? 0 : header.AddressFamily switch
        {
            AddressFamily.InterNetwork => 12,
            AddressFamily.InterNetworkV6 => 36,
            AddressFamily.Unix => 2 * UnixAddressLength,
            _ => 0,
        };
        foreach (var tlv in header.Tlvs)
            length += 3 + tlv.Value.Length;
        return length <= ushort.MaxValue
            ? length
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The addresses and TLVs take {length} bytes; a version 2 header carries 65535 at most."), nameof(header));
    }

    /// <summary>Writes the whole header into <paramref name="destination"/>, which is <c>16 + Length(header)</c> bytes long.</summary>
    public static void Write(ProxyHeader header, Span<byte> destination)
    {
        Signature.CopyTo(destination);
        bool local = header.Command == ProxyCommand.Local;
        destination[12] = local ? (byte)0x20 : (byte)0x21;
        int family = local ? 0 : header.AddressFamily switch
        {
            AddressFamily.InterNetwork => 0x10,
            AddressFamily.InterNetworkV6 => 0x20,
            AddressFamily.Unix => 0x30,
            _ => 0,
        };
        int transport = family == 0 ? 0 : header.SocketType == SocketType.Dgram ? 2 : 1;
        destination[13] = (byte)(family | transport);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], (ushort)(destination.Length - FixedLength));
        int at = FixedLength;
        if (family is 0x10 or 0x20)
        {
            var source = (IPEndPoint)header.Source!;
            var target = (IPEndPoint)header.Destination!;
            int size = family == 0x10 ? 4 : 16;
            source.Address.TryWriteBytes(destination[at..], out _);
            target.Address.TryWriteBytes(destination[(at + size)..], out _);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(at + (2 * size))..], (ushort)source.Port);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(at + (2 * size) + 2)..], (ushort)target.Port);
            at += (2 * size) + 4;
        }
        else if (family == 0x30)
        {
            destination[at..(at + (2 * UnixAddressLength))].Clear();
            UnixPath(header.Source!).CopyTo(destination[at..]);
            UnixPath(header.Destination!).CopyTo(destination[(at + UnixAddressLength)..]);
            at += 2 * UnixAddressLength;
        }
        int crcAt = -1;
        foreach (var tlv in header.Tlvs)
        {
            destination[at] = tlv.Type;
            BinaryPrimitives.WriteUInt16BigEndian(destination[(at + 1)..], (ushort)tlv.Value.Length);
            if (tlv.Type == ProxyTlv.Crc32C && crcAt < 0)
            {
                crcAt = at + 3;
                destination.Slice(crcAt, 4).Clear();
            }
            else
            {
                tlv.Value.Span.CopyTo(destination[(at + 3)..]);
            }
            at += 3 + tlv.Value.Length;
        }
        if (crcAt >= 0)
            BinaryPrimitives.WriteUInt32BigEndian(destination[crcAt..], Crc32C(destination));
    }

    /// <summary>A Unix socket address as the 108-byte field carries it: the path's bytes (an abstract name starts with NUL).</summary>
    /// <exception cref="ArgumentException">It is longer than 108 bytes.</exception>
    public static byte[] UnixPath(EndPoint endPoint)
    {
        var address = endPoint.Serialize();
        var path = new byte[address.Size - 2];
        for (int i = 0; i < path.Length; i++)
            path[i] = address[i + 2];
        int length = path.Length > 0 && path[0] != 0 && path[^1] == 0 ? path.Length - 1 : path.Length; // a path's terminating NUL
        return length <= UnixAddressLength
            ? path[..length]
            : throw new ArgumentException($"The Unix socket path of {endPoint} is longer than the 108 bytes a PROXY header holds.", nameof(endPoint));
    }

    /// <summary>CRC32C (Castagnoli, RFC 4960 appendix B) of <paramref name="bytes"/>.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> bytes)
    {
        uint crc = uint.MaxValue;
        foreach (byte b in bytes)
            crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    private static ProxyTlv[] Tlvs(byte[] header, int start)
    {
        var tlvs = new List<ProxyTlv>();
        int at = start;
        int crcAt = -1;
        while (at < header.Length)
        {
            int left = header.Length - at;
            if (left < 3)
                throw ProxyProtocolException.Bad(string.Create(CultureInfo.InvariantCulture,
                    $"{left} stray byte{(left == 1 ? "" : "s")} after the last TLV at offset {at} (a TLV takes 3 bytes or more)"));
            byte type = header[at];
            int length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(at + 1));
            if (length > left - 3)
                throw ProxyProtocolException.Bad(string.Create(CultureInfo.InvariantCulture,
                    $"TLV 0x{type:X2} at offset {at} claims {length} bytes but only {left - 3} remain in the header"));
            if (type == ProxyTlv.Crc32C)
            {
                if (length != 4)
                    throw ProxyProtocolException.Bad(string.Create(CultureInfo.InvariantCulture, $"CRC32C TLV of {length} bytes (it has 4)"));
                crcAt = crcAt < 0 ? at + 3 : crcAt;
            }
            tlvs.Add(new ProxyTlv(type, header.AsMemory(at + 3, length)));
            at += 3 + length;
        }
        if (crcAt >= 0)
        {
            uint sent = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(crcAt));
            var copy = (byte[])header.Clone();
            copy.AsSpan(crcAt, 4).Clear();
            uint computed = Crc32C(copy);
            if (sent != computed)
                throw ProxyProtocolException.Bad(string.Create(CultureInfo.InvariantCulture,
                    $"CRC32C mismatch: the header says 0x{sent:X8}, its bytes give 0x{computed:X8}"));
        }
        return [.. tlvs];
    }

    private static UnixDomainSocketEndPoint UnixEndPoint(ReadOnlySpan<byte> field, string which)
    {
        // A path ends at its first NUL; an abstract name starts with one and is padded with them.
        var path = field[0] == 0 ? field[..(field.LastIndexOfAnyExcept((byte)0) + 1)] : field[..(field.IndexOf((byte)0) is int nul and >= 0 ? nul : field.Length)];
        if (path.IsEmpty)
            throw ProxyProtocolException.Bad($"version 2 Unix {which} address is empty");
        try
        {
            return new UnixDomainSocketEndPoint(Encoding.UTF8.GetString(path));
        }
        catch (ArgumentException e)
        {
            throw new ProxyProtocolException($"Bad PROXY protocol header: version 2 Unix {which} address {ProxyV1.Quote(path)} is not a usable path.", e);
        }
    }
}
