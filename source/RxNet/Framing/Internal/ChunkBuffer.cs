using System.Buffers;

namespace RxNet.Framing.Internal;

/// <summary>
/// Received chunks not yet consumed, as one <see cref="ReadOnlySequence{T}"/> over the chunks themselves:
/// nothing is copied, since a received chunk belongs to its subscriber forever. A lone chunk needs no
/// segment object at all; the segments of a longer run are one small object per chunk.
/// </summary>
internal sealed class ChunkBuffer
{
    private ReadOnlySequence<byte> _bytes = ReadOnlySequence<byte>.Empty;
    private ChunkSegment? _tail;

    /// <summary>The bytes; decoders slice what they consume off the front.</summary>
    public ref ReadOnlySequence<byte> Bytes => ref _bytes;

    public void Append(ReadOnlyMemory<byte> chunk)
    {
        if (chunk.IsEmpty)
            return;
        if (_bytes.IsEmpty)
        {
            _bytes = new ReadOnlySequence<byte>(chunk);
            _tail = null;
            return;
        }
        ChunkSegment head;
        int headIndex;
        if (_bytes.Start.GetObject() is ChunkSegment start && _tail is not null)
        {
            head = start;
            headIndex = _bytes.Start.GetInteger();
        }
        else
        {
            head = _tail = new ChunkSegment(_bytes.First); // a lone chunk becomes the first segment
            headIndex = 0;
        }
        _tail = _tail.Append(chunk);
        _bytes = new ReadOnlySequence<byte>(head, headIndex, _tail, _tail.Memory.Length);
    }
}
