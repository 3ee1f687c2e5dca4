using System.Buffers;
using RxNet.Proxy.Internal;

namespace RxNet;

/// <summary>Writes a <see cref="ProxyHeader"/> in its own version: a version 1 line or a version 2 binary header.</summary>
/// <remarks>
/// <para>Version 1 writes <c>PROXY TCP4 ...\r\n</c> or <c>PROXY TCP6 ...\r\n</c> (IPv6 in its short form, without
/// scope), and <c>PROXY UNKNOWN\r\n</c> for a header without IP addresses. Version 2 writes the signature, version 2
/// with LOCAL or PROXY, the family and transport, the length, the addresses (none for LOCAL) and the TLVs in order,
/// computing the value of a <see cref="ProxyTlv.Crc32C"/> entry over the whole header.</para>
/// <para>Stateless; use <see cref="Instance"/>.</para>
/// </remarks>
public sealed class ProxyHeaderEncoder : IEncoder<ProxyHeader>
{
    private ProxyHeaderEncoder()
    {
    }

    /// <summary>The encoder.</summary>
    public static ProxyHeaderEncoder Instance { get; } = new();

    /// <summary>The header's bytes, as they go on the wire.</summary>
    /// <param name="header">The header.</param>
    /// <returns>A new array.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="header"/> is null.</exception>
    public static byte[] ToArray(ProxyHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.Version == 1)
            return ProxyV1.Format(header);
        var bytes = new byte[ProxyV2.FixedLength + ProxyV2.Length(header)];
        ProxyV2.Write(header, bytes);
        return bytes;
    }

    /// <inheritdoc/>
    public void Encode(ProxyHeader frame, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(ToArray(frame));
    }
}
