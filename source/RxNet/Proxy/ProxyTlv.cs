namespace RxNet;

/// <summary>One type-length-value entry after the addresses of a version 2 PROXY header.</summary>
/// <param name="Type">The type byte, for example <see cref="Authority"/>.</param>
/// <param name="Value">The value, at most 65535 bytes. A decoded value is a slice of a copy of the header that
/// belongs to the header, so it stays valid as long as it is kept.</param>
/// <remarks>The registered types are constants of this type; 0xE0 to 0xEF are for applications and 0xF0 to
/// 0xF7 for experiments. RxNet checks <see cref="Crc32C"/> when it is present and keeps every other entry as
/// it came (the sub-entries of <see cref="Ssl"/> are inside its value).</remarks>
public readonly record struct ProxyTlv(byte Type, ReadOnlyMemory<byte> Value)
{
    /// <summary><c>PP2_TYPE_ALPN</c>: the application protocol negotiated, as TLS's ALPN names it.</summary>
    public const byte Alpn = 0x01;

    /// <summary><c>PP2_TYPE_AUTHORITY</c>: the host name the client asked for (TLS's SNI), in UTF-8.</summary>
    public const byte Authority = 0x02;

    /// <summary><c>PP2_TYPE_CRC32C</c>: a CRC32C of the whole header (4 bytes, big-endian, computed with this value zeroed).
    /// The encoder fills it in; the decoder checks it.</summary>
    public const byte Crc32C = 0x03;

    /// <summary><c>PP2_TYPE_NOOP</c>: padding, to be ignored.</summary>
    public const byte Noop = 0x04;

    /// <summary><c>PP2_TYPE_UNIQUE_ID</c>: an opaque id of the connection, up to 128 bytes.</summary>
    public const byte UniqueId = 0x05;

    /// <summary><c>PP2_TYPE_SSL</c>: what the proxy knows of the client's TLS (flags, verify result, sub-entries).</summary>
    public const byte Ssl = 0x20;

    /// <summary><c>PP2_TYPE_NETNS</c>: the network namespace's name, in US-ASCII.</summary>
    public const byte NetworkNamespace = 0x30;
}
