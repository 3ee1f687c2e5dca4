namespace RxNet;

/// <summary>The built-in codecs as operators on a byte stream: <c>LengthPrefixed</c>, <c>Netstrings</c>,
/// <c>FixedLength</c>. Each is <c>Decode</c> with its codec; for the sending side, use the codec's
/// <c>Encoder</c> with <c>Encode</c>, or <c>Framed</c> for both.</summary>
public static class CodecExtensions
{
    /// <summary>The length-prefixed frames of a byte stream.</summary>
    /// <param name="source">The bytes, typically <c>connection.Input</c>.</param>
    /// <param name="options">The layout and the limit; <see cref="LengthFieldOptions.Default"/> (Twisted's
    /// <c>Int32StringReceiver</c>: 4-byte big-endian length, stripped, at most 99999 bytes) if null.</param>
    /// <returns>The frames, without the bytes stripped: slices of the received chunks when a frame lies in
    /// one, a copy when it spans several. The stream fails with <see cref="FrameTooLargeException"/> on a
    /// length above the maximum, <see cref="FramingException"/> on an impossible length, and
    /// <see cref="IncompleteFrameException"/> if it ends inside a frame.</returns>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public static IObservable<ReadOnlyMemory<byte>> LengthPrefixed(this IObservable<ReadOnlyMemory<byte>> source, LengthFieldOptions? options = null) =>
        source.Decode(new LengthFieldCodec(options));

    /// <summary>The netstrings of a byte stream (<c>5:hello,</c>), as their data.</summary>
    /// <param name="source">The bytes, typically <c>connection.Input</c>.</param>
    /// <param name="maxLength">The longest netstring accepted, in bytes of data; 99999 (Twisted's
    /// <c>NetstringReceiver.MAX_LENGTH</c>) by default.</param>
    /// <returns>The data of each netstring. The stream fails with <see cref="FrameTooLargeException"/> on a
    /// length above the maximum, <see cref="FramingException"/> on bytes that break the format (saying what
    /// they were), and <see cref="IncompleteFrameException"/> if it ends inside a netstring.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is negative.</exception>
    public static IObservable<ReadOnlyMemory<byte>> Netstrings(this IObservable<ReadOnlyMemory<byte>> source, int maxLength = NetstringCodec.DefaultMaxLength) =>
        source.Decode(new NetstringCodec(maxLength));

    /// <summary>A byte stream cut into frames of <paramref name="length"/> bytes.</summary>
    /// <param name="source">The bytes, typically <c>connection.Input</c>.</param>
    /// <param name="length">The size of every frame.</param>
    /// <returns>The frames; the stream fails with <see cref="IncompleteFrameException"/> if it ends inside one.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is below 1.</exception>
    public static IObservable<ReadOnlyMemory<byte>> FixedLength(this IObservable<ReadOnlyMemory<byte>> source, int length) =>
        source.Decode(new FixedLengthCodec(length));
}
