using System.Buffers;
using System.Globalization;
using RxNet.Proxy.Internal;

namespace RxNet;

/// <summary>
/// Decodes one PROXY protocol header, version 1 or 2 (told apart by the first byte), from the start of a byte stream:
/// a pure decoder, with no I/O and no clock. The server operators of <see cref="ProxyProtocolExtensions"/> use it.
/// </summary>
/// <remarks>
/// <para>It slices off exactly the header's bytes, never one more, so what follows (the client's first request,
/// perhaps in the same chunk) stays in the buffer for the next reader, for example a second
/// <see cref="FrameReader.Read{T}"/>. It fails as early as the bytes allow: a first byte that starts neither
/// signature fails at once, a version 1 line without its CRLF in 107 bytes fails at the 107th byte, a version 2
/// header with a bad version or command fails at its 13th byte. A header that fails consumes nothing.</para>
/// <para>Version 1: <c>PROXY</c>, one space, <c>TCP4</c>, <c>TCP6</c> or <c>UNKNOWN</c>, then for TCP the source
/// and destination addresses and ports separated by single spaces (IPv4 as four numbers without leading zeros,
/// ports 0 to 65535 without leading zeros), then CRLF; a lone CR or LF is refused. After <c>UNKNOWN</c> anything up
/// to the CRLF is ignored. Version 2: the 12-byte signature, version 2 with command LOCAL or PROXY, one of the
/// seven family and transport bytes of the spec, a big-endian length, the addresses, then TLVs, each checked to
/// fit; a <see cref="ProxyTlv.Crc32C"/> entry is verified. A LOCAL header's block, and the addresses of an
/// unspecified family, are skipped unread, as the spec asks.</para>
/// <para>Stateless: one instance may serve any number of streams at once.</para>
/// </remarks>
public sealed class ProxyHeaderDecoder : IDecoder<ProxyHeader>
{
    /// <summary>Creates a decoder for the given versions.</summary>
    /// <param name="versions">The versions accepted; a header of another version is an error that names it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="versions"/> names no version.</exception>
    public ProxyHeaderDecoder(ProxyProtocolVersions versions = ProxyProtocolVersions.Any)
    {
        if ((versions & ProxyProtocolVersions.Any) == 0 || (versions & ~ProxyProtocolVersions.Any) != 0)
            throw new ArgumentOutOfRangeException(nameof(versions), versions, "Accept version 1, version 2 or both.");
        Versions = versions;
    }

    /// <summary>The versions accepted.</summary>
    public ProxyProtocolVersions Versions { get; }

    /// <inheritdoc/>
    /// <exception cref="ProxyProtocolException">The bytes are not, or cannot become, a valid header.</exception>
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out ProxyHeader frame)
    {
        frame = null!;
        Span<byte> head = stackalloc byte[ProxyV2.FixedLength];
        head = head[..(int)Math.Min(buffer.Length, ProxyV2.FixedLength)];
        buffer.Slice(0, head.Length).CopyTo(head);
        if (head.IsEmpty)
            return false;
        if (IsPrefix(head, ProxyV1.Signature))
        {
            if (head.Length < ProxyV1.Signature.Length)
                return false;
            Accept(ProxyProtocolVersions.V1);
            return TryDecodeV1(ref buffer, out frame);
        }
        if (IsPrefix(head, ProxyV2.Signature))
        {
            if (head.Length < ProxyV2.Signature.Length)
                return false;
            Accept(ProxyProtocolVersions.V2);
            if (head.Length > 12)
                ProxyV2.CheckVersionAndCommand(head[12]);
            return head.Length == ProxyV2.FixedLength && TryDecodeV2(ref buffer, head, out frame);
        }
        // Both signatures failed: quote up to the byte where the later of them did, whatever the chunking.
        int seen = Math.Max(Mismatch(head, ProxyV1.Signature), Mismatch(head, ProxyV2.Signature)) + 1;
        throw ProxyProtocolException.Bad($"the connection starts with {ProxyV1.Quote(head[..seen])}, which is neither \"PROXY \" (version 1) nor the version 2 signature \"\\r\\n\\r\\n\\x00\\r\\nQUIT\\n\"");
    }

    /// <inheritdoc/>
    /// <exception cref="ProxyProtocolException">Always: the stream ended inside a header.</exception>
    public bool TryDecodeFinal(ref ReadOnlySequence<byte> buffer, out ProxyHeader frame)
    {
        if (TryDecode(ref buffer, out frame))
            return true;
        throw ProxyProtocolException.Bad(string.Create(CultureInfo.InvariantCulture,
            $"the connection ended after {buffer.Length} bytes, inside the header: {ProxyV1.Quote(buffer.FirstSpan)}"));
    }

    private static int Mismatch(ReadOnlySpan<byte> head, ReadOnlySpan<byte> signature) =>
        head[..Math.Min(head.Length, signature.Length)].CommonPrefixLength(signature);

    private static bool IsPrefix(ReadOnlySpan<byte> head, ReadOnlySpan<byte> signature) =>
        signature[..Math.Min(head.Length, signature.Length)].SequenceEqual(head[..Math.Min(head.Length, signature.Length)]);

    private void Accept(ProxyProtocolVersions version)
    {
        if ((Versions & version) == 0)
            throw ProxyProtocolException.Bad(version == ProxyProtocolVersions.V1
                ? "a version 1 header, but this server accepts version 2 only"
                : "a version 2 header, but this server accepts version 1 only");
    }

    private static bool TryDecodeV1(ref ReadOnlySequence<byte> buffer, out ProxyHeader frame)
    {
        frame = null!;
        Span<byte> line = stackalloc byte[ProxyV1.MaxLength];
        line = line[..(int)Math.Min(buffer.Length, ProxyV1.MaxLength)];
        buffer.Slice(0, line.Length).CopyTo(line);
        int end = line.IndexOfAny((byte)'\r', (byte)'\n');
        if (end >= 0 && line[end] == (byte)'\n')
            throw ProxyProtocolException.Bad(string.Create(CultureInfo.InvariantCulture, $"a lone LF at byte {end + 1} of a version 1 header, which must end with CRLF: {ProxyV1.Quote(line[..(end + 1)])}"));
        if (end < 0 || end + 1 == line.Length)
        {
            if (line.Length == ProxyV1.MaxLength)
                throw ProxyProtocolException.Bad(string.Create(CultureInfo.InvariantCulture,
                    $"no CRLF in the first {ProxyV1.MaxLength} bytes of a version 1 header (the longest valid line): {ProxyV1.Quote(line)}"));
            return false; // the CRLF (or its LF) is still to come
        }
        if (line[end + 1] != (byte)'\n')
            throw ProxyProtocolException.Bad(string.Create(CultureInfo.InvariantCulture, $"a lone CR at byte {end + 1} of a version 1 header, which must end with CRLF: {ProxyV1.Quote(line[..(end + 2)])}"));
        frame = ProxyV1.Parse(line[ProxyV1.Signature.Length..end]);
        buffer = buffer.Slice(end + 2);
        return true;
    }

    private static bool TryDecodeV2(ref ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> head, out ProxyHeader frame)
    {
        frame = null!;
        int length = ProxyV2.FixedLength + ((head[14] << 8) | head[15]);
        if (buffer.Length < length)
            return false;
        var bytes = buffer.Slice(0, length).ToArray(); // the header's own copy: TLV values are slices of it
        frame = ProxyV2.Parse(bytes);
        buffer = buffer.Slice(length);
        return true;
    }
}
