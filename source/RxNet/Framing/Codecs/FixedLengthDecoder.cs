using System.Buffers;
using RxNet.Framing.Internal;

namespace RxNet;

/// <summary>The decoder of <see cref="FixedLengthCodec"/>; stateless, so one instance serves any number of streams.</summary>
internal sealed class FixedLengthDecoder(int length) : IDecoder<ReadOnlyMemory<byte>>
{
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame)
    {
        frame = default;
        if (buffer.Length < length)
            return false;
        var bytes = buffer.Slice(0, length);
        frame = bytes.IsSingleSegment ? bytes.First : bytes.ToArray();
        buffer = buffer.Slice(bytes.End);
        return true;
    }

    public bool TryDecodeFinal(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame) =>
        StrictEnd.TryDecodeFinal(this, ref buffer, out frame, "a fixed-length frame");
}
