using System.Buffers;
using RxNet.Framing.Internal;

namespace RxNet.Twisted.Internal;

/// <summary>What <see cref="LineReceiver"/> and <see cref="LineOnlyReceiver"/> hold per connection: the bytes not
/// yet cut into lines, Twisted's <c>delimiter</c> and <c>MAX_LENGTH</c>, and the decoder made from the delimiter when
/// next needed. The receivers apply Twisted's limits themselves; they differ between the two.</summary>
internal sealed class LineState
{
    private ReadOnlyMemory<byte> _delimiter = "\r\n"u8.ToArray();
    private int _maxLength = 16384;
    private LineDecoder? _decoder;

    /// <summary>The bytes received and not yet delivered.</summary>
    public ChunkBuffer Buffer { get; } = new();

    /// <exception cref="ArgumentException">The value is empty.</exception>
    public ReadOnlyMemory<byte> Delimiter
    {
        get => _delimiter;
        set
        {
            _delimiter = LineSending.CopyOfDelimiter(value);
            _decoder = null; // lines not yet cut are cut with the new delimiter
        }
    }

    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxLength
    {
        get => _maxLength;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxLength = value;
        }
    }

    /// <summary>The decoder for <see cref="Delimiter"/>; it remembers how far it searched <see cref="Buffer"/>.</summary>
    public LineDecoder Decoder => _decoder ??= LineSending.Decoder(_delimiter);

    /// <summary>Empties the buffer and returns what it held, as one piece. The decoder remembers how far it searched
    /// the buffer, so it goes too; the next line starts a new one.</summary>
    public ReadOnlyMemory<byte> TakeAll()
    {
        ref var bytes = ref Buffer.Bytes;
        var all = bytes.IsSingleSegment ? bytes.First : bytes.ToArray();
        bytes = ReadOnlySequence<byte>.Empty;
        _decoder = null;
        return all;
    }
}
