using System.Buffers;

namespace RxNet;

/// <summary>The decoder of <see cref="LineCodec"/>: one per stream, since it remembers how far it has
/// searched (so a long line arriving in small chunks is scanned once) and whether it is dropping a line.</summary>
public sealed class LineDecoder : IDecoder<ReadOnlyMemory<byte>>
{
    private readonly LineOptions _options;
    private readonly byte[] _delimiter;
    private readonly bool _stripCr;
    private long _searched; // bytes at the start of the buffer known to hold no complete delimiter
    private bool _discarding;

    /// <summary>Creates a decoder.</summary>
    /// <param name="options">The options, or <see langword="null"/> for <see cref="LineOptions.Default"/>.</param>
    public LineDecoder(LineOptions? options = null)
    {
        _options = options ?? LineOptions.Default;
        _options.Validate();
        _delimiter = _options.Delimiter.ToArray();
        _stripCr = _options.StripCarriageReturn && _delimiter is [(byte)'\n'];
    }

    /// <summary>Lines dropped for being too long (with <see cref="LineTooLong.Discard"/>).</summary>
    public long Dropped { get; private set; }

    /// <inheritdoc/>
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame)
    {
        if (_delimiter.Length == 1 && !_discarding && TryDecodeInFirstSegment(ref buffer, out frame))
            return true;
        while (true)
        {
            var reader = new SequenceReader<byte>(buffer);
            reader.Advance(_searched);
            if (!reader.TryAdvanceTo(_delimiter[0], advancePastDelimiter: false))
                return NeedMore(ref buffer, buffer.Length, out frame);
            // A first byte of the delimiter: the whole delimiter, or not yet known, or not here.
            if (!reader.IsNext(_delimiter, advancePast: false))
            {
                if (reader.Remaining < _delimiter.Length && _delimiter.AsSpan(0, (int)reader.Remaining).SequenceEqual(reader.UnreadSequence.ToArray()))
                    return NeedMore(ref buffer, reader.Consumed, out frame); // it may complete with the next chunk
                _searched = reader.Consumed + 1;
                continue;
            }
            long end = reader.Consumed;
            var lineEnd = reader.Position;
            reader.Advance(_delimiter.Length);
            var rest = reader.Position;
            var line = buffer.Slice(0, lineEnd);
            _searched = 0;
            if (_stripCr && end > 0 && line.Slice(end - 1).FirstSpan[0] == (byte)'\r')
                line = line.Slice(0, end - 1);
            if (_discarding || line.Length > _options.MaxLength)
            {
                if (!_discarding)
                    TooLong(line.Length); // throws before consuming: a next read starts at the long line, whatever the chunking
                buffer = buffer.Slice(rest);
                _discarding = false;
                Dropped++;
                continue;
            }
            frame = line.IsSingleSegment ? line.First : line.ToArray();
            buffer = buffer.Slice(rest);
            return true;
        }
    }

    /// <summary>The common case, with no sequence machinery: a one-byte delimiter and a whole line in the first segment.</summary>
    private bool TryDecodeInFirstSegment(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame)
    {
        var first = buffer.First;
        int from = (int)Math.Min(_searched, first.Length);
        int found = first.Span[from..].IndexOf(_delimiter[0]);
        if (found < 0)
        {
            frame = default;
            return false; // the general path records how far it searched and checks the limit
        }
        int end = from + found;
        int length = _stripCr && end > 0 && first.Span[end - 1] == (byte)'\r' ? end - 1 : end;
        if (length > _options.MaxLength)
        {
            frame = default;
            return false; // the general path reports or drops it
        }
        frame = first[..length];
        buffer = buffer.Slice(end + 1);
        _searched = 0;
        return true;
    }

    /// <inheritdoc/>
    public bool TryDecodeFinal(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame)
    {
        if (TryDecode(ref buffer, out frame))
            return true;
        if (buffer.IsEmpty)
            return false;
        if (_discarding || !_options.AcceptUnterminatedLastLine)
        {
            if (_discarding)
            {
                buffer = buffer.Slice(buffer.End);
                return false;
            }
            throw new IncompleteFrameException("a line", buffer.Length);
        }
        var line = buffer;
        if (_stripCr && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r')
            line = line.Slice(0, line.Length - 1);
        frame = line.IsSingleSegment ? line.First : line.ToArray();
        buffer = buffer.Slice(buffer.End);
        return true;
    }

    /// <summary>No delimiter in the first <paramref name="searched"/> bytes: remember, and check the limit.</summary>
    private bool NeedMore(ref ReadOnlySequence<byte> buffer, long searched, out ReadOnlyMemory<byte> frame)
    {
        frame = default;
        _searched = searched;
        // The line is already too long when even a CR about to be stripped would not bring it under.
        long longest = _options.MaxLength + (_stripCr ? 1 : 0);
        if (searched <= longest)
            return false;
        if (!_discarding)
        {
            TooLong(searched);
            _discarding = true;
        }
        // Keep only what may begin the delimiter; the rest of the long line goes.
        long keep = buffer.Length - searched;
        buffer = buffer.Slice(buffer.Length - keep);
        _searched = 0;
        return false;
    }

    private void TooLong(long seen)
    {
        if (_options.TooLong == LineTooLong.Fail)
            throw new FrameTooLargeException("A line", _options.MaxLength, seen);
    }
}
