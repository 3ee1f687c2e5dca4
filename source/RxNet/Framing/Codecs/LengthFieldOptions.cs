namespace RxNet;

/// <summary>
/// Where the length of a frame is written and how to read it: the parameters of Netty's
/// <c>LengthFieldBasedFrameDecoder</c>, with defaults that make Twisted's <c>Int32StringReceiver</c>.
/// </summary>
/// <remarks>
/// <para>A frame starts with a header of <see cref="LengthFieldOffset"/> bytes, then the length field of
/// <see cref="LengthFieldLength"/> bytes in <see cref="ByteOrder"/>. The whole frame, header included, is
/// <c>LengthFieldOffset + LengthFieldLength + value + LengthAdjustment</c> bytes, where <c>value</c> is the
/// length field read as an unsigned number (8-byte fields as a signed one, as Netty reads them). The first
/// <see cref="InitialBytesToStrip"/> bytes of it are dropped and the rest is the frame delivered.</para>
/// <para>Netty's examples, as options: a 2-byte length of the content that follows, kept in the frame:
/// <c>new LengthFieldOptions { LengthFieldLength = 2, InitialBytesToStrip = 0 }</c>; a 2-byte length
/// that counts itself too, stripped: <c>{ LengthFieldLength = 2, LengthAdjustment = -2 }</c>; a 2-byte length
/// of the whole frame between two one-byte headers, the first three bytes stripped (the frame is the second
/// header and the content): <c>{ LengthFieldOffset = 1, LengthFieldLength = 2, LengthAdjustment = -3,
/// InitialBytesToStrip = 3 }</c>.</para>
/// <para>Two options are equal when they frame alike: a default left as it is equals the same value set.</para>
/// </remarks>
public sealed record LengthFieldOptions
{
    /// <summary>Twisted's <c>MAX_LENGTH</c>: the longest string its receivers accept, in bytes.</summary>
    private const int TwistedMaxLength = 99999;

    private readonly int? _initialBytesToStrip;
    private readonly int? _maxFrameLength;

    /// <summary>Twisted's <c>Int32StringReceiver</c>: a 4-byte big-endian length of the string that
    /// follows, stripped, and strings of at most 99999 bytes (Twisted's <c>MAX_LENGTH</c>). The default.</summary>
    public static LengthFieldOptions Int32Prefixed { get; } = new();

    /// <summary>Twisted's <c>Int16StringReceiver</c>: a 2-byte big-endian length of the string that follows,
    /// stripped, and strings of at most 99999 bytes (the field itself stops at 65535).</summary>
    public static LengthFieldOptions Int16Prefixed { get; } = new() { LengthFieldLength = 2 };

    /// <summary>Twisted's <c>Int8StringReceiver</c>: a 1-byte length of the string that follows, stripped,
    /// so strings of at most 255 bytes.</summary>
    public static LengthFieldOptions Int8Prefixed { get; } = new() { LengthFieldLength = 1 };

    /// <summary>The defaults: <see cref="Int32Prefixed"/>.</summary>
    public static LengthFieldOptions Default => Int32Prefixed;

    /// <summary>Bytes of header before the length field; 0 by default.</summary>
    public int LengthFieldOffset { get; init; }

    /// <summary>The width of the length field: 1, 2, 3, 4 (the default) or 8 bytes.</summary>
    public int LengthFieldLength { get; init; } = 4;

    /// <summary>The byte order of the length field; <see cref="ByteOrder.BigEndian"/> by default.</summary>
    public ByteOrder ByteOrder { get; init; } = ByteOrder.BigEndian;

    /// <summary>Added to the length field to get the bytes that follow it: negative when the length counts
    /// the header too (-4 for a 4-byte length that includes itself), positive when more header follows
    /// the field. 0 by default.</summary>
    public int LengthAdjustment { get; init; }

    /// <summary>Bytes dropped from the start of each frame; by default the header up to the end of the
    /// length field (<c>LengthFieldOffset + LengthFieldLength</c>), so frames are what follows it. 0 keeps
    /// the header in the frame.</summary>
    public int InitialBytesToStrip
    {
        get => _initialBytesToStrip ?? LengthFieldOffset + LengthFieldLength;
        init => _initialBytesToStrip = value;
    }

    /// <summary>The longest frame accepted, in bytes, counted as Netty counts it: the whole frame from its
    /// first byte, header and length field included, before anything is stripped. By default the header up
    /// to the end of the length field plus 99999 (Twisted's <c>MAX_LENGTH</c>). A length field above it
    /// fails the stream with <see cref="FrameTooLargeException"/> as soon as it arrives.</summary>
    public int MaxFrameLength
    {
        get => _maxFrameLength ?? (int)Math.Min((long)LengthFieldOffset + LengthFieldLength + TwistedMaxLength, int.MaxValue);
        init => _maxFrameLength = value;
    }

    /// <summary>Whether <paramref name="other"/> frames alike: the same values, defaults included.</summary>
    /// <param name="other">The other options.</param>
    /// <returns>Whether every value is the same.</returns>
    public bool Equals(LengthFieldOptions? other) =>
        other is not null
        && LengthFieldOffset == other.LengthFieldOffset
        && LengthFieldLength == other.LengthFieldLength
        && ByteOrder == other.ByteOrder
        && LengthAdjustment == other.LengthAdjustment
        && InitialBytesToStrip == other.InitialBytesToStrip
        && MaxFrameLength == other.MaxFrameLength;

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(LengthFieldOffset, LengthFieldLength, ByteOrder, LengthAdjustment, InitialBytesToStrip, MaxFrameLength);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">The length field is not 1, 2, 3, 4 or 8 bytes wide, a count is
    /// negative, or the length field does not fit in <see cref="MaxFrameLength"/>.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(LengthFieldOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(InitialBytesToStrip);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameLength, 1);
        if (LengthFieldLength is not (1 or 2 or 3 or 4 or 8))
            throw new ArgumentException($"A length field is 1, 2, 3, 4 or 8 bytes wide, not {LengthFieldLength}.", nameof(LengthFieldLength));
        if (LengthFieldOffset > MaxFrameLength - LengthFieldLength)
            throw new ArgumentException(
                $"The length field ends at byte {LengthFieldOffset + LengthFieldLength}, past the maximum frame length of {MaxFrameLength}.",
                nameof(LengthFieldOffset));
    }
}
