using System.Buffers;
using RxNet.Framing.Internal;

namespace RxNet;

/// <summary>The decoder of <see cref="LengthFieldCodec"/>. It keeps no state between calls (the length
/// field is read again while a frame arrives, a few bytes each time), so one instance serves any number
/// of streams.</summary>
internal sealed class LengthFieldDecoder : IDecoder<ReadOnlyMemory<byte>>
{
    private readonly int _offset;
    private readonly int _width;
    private readonly int _headerEnd;
    private readonly bool _bigEndian;
    private readonly int _adjustment;
    private readonly int _strip;
    private readonly int _max;

    public LengthFieldDecoder(LengthFieldOptions options)
    {
        _offset = options.LengthFieldOffset;
        _width = options.LengthFieldLength;
        _headerEnd = _offset + _width;
        _bigEndian = options.ByteOrder == ByteOrder.BigEndian;
        _adjustment = options.LengthAdjustment;
        _strip = options.InitialBytesToStrip;
        _max = options.MaxFrameLength;
    }

    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame)
    {
        // The common case first: a valid frame wholly inside the first segment, read with no sequence machinery.
        var first = buffer.First;
        if (first.Length >= _headerEnd)
        {
            ulong field = Read(first.Span.Slice(_offset, _width));
            long size = field <= int.MaxValue ? (long)field + _adjustment + _headerEnd : long.MaxValue;
            if (size >= _headerEnd && size <= _max && size >= _strip && size <= first.Length)
            {
                frame = first[_strip..(int)size];
                buffer = buffer.Slice(size);
                return true;
            }
        }
        frame = default;
        if (buffer.Length < _headerEnd)
            return false;
        ulong value = ReadLengthField(buffer);
        if (_width == 8 && value > long.MaxValue)
            throw new FramingException($"The 8-byte length field holds {(long)value}, a negative length.");
        Int128 total = (Int128)value + _adjustment + _headerEnd;
        if (total < _headerEnd)
            throw new FramingException(
                $"The length field holds {value}; adjusted by {_adjustment}, the frame would be {total} bytes, shorter than its own {_headerEnd}-byte header.");
        if (total > _max)
            throw new FrameTooLargeException($"A frame (length field {value}, {_headerEnd} header bytes)", _max, (long)Int128.Min(total, long.MaxValue));
        int length = (int)total;
        if (_strip > length)
            throw new FramingException($"The length field holds {value}, so the frame is {length} bytes, fewer than the {_strip} bytes to strip from it.");
        if (buffer.Length < length)
            return false;
        var body = buffer.Slice(_strip, length - _strip);
        frame = body.IsSingleSegment ? body.First : body.ToArray();
        buffer = buffer.Slice(length);
        return true;
    }

    public bool TryDecodeFinal(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame) =>
        StrictEnd.TryDecodeFinal(this, ref buffer, out frame, "a length-prefixed frame");

    private ulong ReadLengthField(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> copy = stackalloc byte[8];
        var first = buffer.FirstSpan;
        scoped ReadOnlySpan<byte> field;
        if (first.Length >= _headerEnd)
        {
            field = first.Slice(_offset, _width);
        }
        else
        {
            buffer.Slice(_offset, _width).CopyTo(copy);
            field = copy[.._width];
        }
        return Read(field);
    }

    private ulong Read(ReadOnlySpan<byte> field)
    {
        ulong value = 0;
        if (_bigEndian)
        {
            foreach (byte b in field)
                value = (value << 8) | b;
        }
        else
        {
            for (int i = field.Length - 1; i >= 0; i--)
                value = (value << 8) | field[i];
        }
        return value;
    }
}
