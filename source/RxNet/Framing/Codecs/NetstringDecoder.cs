using System.Buffers;
using RxNet.Framing.Internal;

namespace RxNet;

/// <summary>The decoder of <see cref="NetstringCodec"/>. It keeps no state between calls (the few digits
/// of a length are read again while its data arrives), so one instance serves any number of streams.</summary>
internal sealed class NetstringDecoder(int maxLength) : IDecoder<ReadOnlyMemory<byte>>
{
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame)
    {
        frame = default;
        var reader = new SequenceReader<byte>(buffer);
        long length = 0;
        int digits = 0;
        while (true)
        {
            if (!reader.TryRead(out byte b))
                return false; // the length is still arriving
            if (b == (byte)':')
            {
                if (digits == 0)
                    throw new FramingException("A netstring must start with its length in digits; saw ':' first.");
                break;
            }
            if (b is < (byte)'0' or > (byte)'9')
            {
                throw new FramingException(digits == 0
                    ? $"A netstring must start with its length in digits; saw {Describe(b)}."
                    : $"A netstring length must be digits followed by ':'; saw {Describe(b)} after \"{length}\".");
            }
            if (digits == 1 && length == 0)
                throw new FramingException($"A netstring length must not have leading zeros; saw \"0{(char)b}\".");
            length = (length * 10) + (b - '0');
            digits++;
            if (length > maxLength)
                throw new FrameTooLargeException("A netstring", maxLength, length);
        }
        if (reader.Remaining <= length)
            return false; // the data or its comma is still arriving
        var data = reader.UnreadSequence.Slice(0, length);
        reader.Advance(length);
        reader.TryRead(out byte comma);
        if (comma != (byte)',')
            throw new FramingException($"A netstring must end with ','; saw {Describe(comma)} after its {length} bytes of data.");
        frame = data.IsSingleSegment ? data.First : data.ToArray();
        buffer = buffer.Slice(reader.Position);
        return true;
    }

    public bool TryDecodeFinal(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame) =>
        StrictEnd.TryDecodeFinal(this, ref buffer, out frame, "a netstring");

    /// <summary>A byte for a message: <c>'x' (0x78)</c>.</summary>
    private static string Describe(byte b) =>
        b is >= 0x20 and < 0x7F ? $"'{(char)b}' (0x{b:X2})" : $"byte 0x{b:X2}";
}
