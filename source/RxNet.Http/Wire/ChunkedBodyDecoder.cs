using System.Buffers;
using System.Text;

namespace RxNet.Http;

/// <summary>
/// Decodes a chunked body (RFC 9112 §7.1), a request's or a response's, strictly: chunk sizes of hex digits only, overflow checked,
/// chunk extensions validated and bounded, CRLF and only CRLF after every size line and every chunk's data, and
/// a trailer section read with the field-line rules and the header limits.
/// </summary>
/// <remarks>
/// <para>Call <see cref="Read"/> with the bytes received and not yet consumed; it returns the body bytes it can
/// (a slice of the buffer: use them before advancing past <c>consumed</c>) and how far it read. A size line or the
/// trailer section is consumed only once whole, so a call that needs more bytes consumes nothing more, and the
/// next call sees them again. Every check is made at the byte that decides it, so the same bytes give the same
/// body or the same error however they are cut (CVE-2025-55315, CVE-2025-22871, CVE-2025-58056: a bare LF never
/// ends a line).</para>
/// <para>The size line (size and extensions) is bounded by <see cref="HttpMessageLimits.MaxStartLineSize"/>;
/// the trailer section by <see cref="HttpMessageLimits.MaxHeadersTotalSize"/> and
/// <see cref="HttpMessageLimits.MaxHeaderCount"/> (431 in a request). A request body's errors carry the status a
/// server answers with; a response body's carry 502. One decoder per body; not thread-safe.</para>
/// </remarks>
internal sealed class ChunkedBodyDecoder
{
    private readonly HttpMessageLimits _limits;
    private readonly HttpMessageKind _kind;
    private readonly HttpHeaders _trailers;
    private State _state = State.SizeLine;
    private long _remaining;

    /// <summary>Creates a decoder for one request body (a server's).</summary>
    /// <param name="options">The limits of the size lines and the trailer section.</param>
    /// <param name="trailers">Where the trailer fields go, once the whole trailer section has arrived.</param>
    public ChunkedBodyDecoder(HttpServerOptions options, HttpHeaders trailers)
        : this(HttpMessageLimits.Of(options), trailers, HttpMessageKind.Request)
    {
    }

    /// <summary>Creates a decoder for one response body (a client's): its errors carry status 502.</summary>
    /// <param name="limits">The limits of the size lines and the trailer section.</param>
    /// <param name="trailers">Where the trailer fields go, once the whole trailer section has arrived.</param>
    public ChunkedBodyDecoder(HttpMessageLimits limits, HttpHeaders trailers)
        : this(limits, trailers, HttpMessageKind.Response)
    {
    }

    private ChunkedBodyDecoder(HttpMessageLimits limits, HttpHeaders trailers, HttpMessageKind kind)
    {
        ArgumentNullException.ThrowIfNull(trailers);
        _limits = limits;
        _kind = kind;
        _trailers = trailers;
    }

    /// <summary>Whether the last chunk and the trailer section have been consumed.</summary>
    public bool IsComplete => _state == State.Done;

    /// <summary>The body bytes decoded so far (for the body-size limit).</summary>
    public long BodyBytes { get; private set; }

    /// <summary>Decodes from the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">The bytes received and not yet consumed.</param>
    /// <param name="consumed">How far the decoder read: past the returned data and any framing it could complete.</param>
    /// <returns>Body bytes available now, a slice of <paramref name="buffer"/> (maybe empty), at most one chunk's worth.</returns>
    /// <exception cref="HttpProtocolException">The bytes break the chunked coding's rules or limits.</exception>
    public ReadOnlySequence<byte> Read(in ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        ReadOnlySequence<byte> data = default;
        bool haveData = false;
        while (true)
        {
            switch (_state)
            {
                case State.SizeLine:
                    if (!TryReadSizeLine(ref reader))
                        goto Stop;
                    break;
                case State.Data:
                    if (haveData || reader.End)
                        goto Stop;
                    long take = Math.Min(_remaining, reader.Remaining);
                    data = buffer.Slice(reader.Position, take);
                    reader.Advance(take);
                    haveData = true;
                    _remaining -= take;
                    BodyBytes += take;
                    if (_remaining == 0)
                        _state = State.DataEnd;
                    break;
                case State.DataEnd:
                    if (!TryReadDataEnd(ref reader))
                        goto Stop;
                    _state = State.SizeLine;
                    break;
                case State.Trailers:
                    if (!TryReadTrailers(ref reader))
                        goto Stop;
                    break;
                default:
                    goto Stop;
            }
        }
    Stop:
        consumed = reader.Position;
        return haveData ? data : ReadOnlySequence<byte>.Empty;
    }

    /// <summary>chunk-size [ chunk-ext ] CRLF, consumed only when whole.</summary>
    private bool TryReadSizeLine(ref SequenceReader<byte> reader)
    {
        int max = _limits.MaxStartLineSize;
        ReadOnlySequence<byte> rest = reader.UnreadSequence;
        bool atLimit = rest.Length >= max;
        ReadOnlySequence<byte> window = rest.Slice(0, Math.Min(rest.Length, max));
        int length;
        long size;
        if (window.IsSingleSegment)
        {
            length = ScanSizeLine(window.FirstSpan, _kind, out size);
        }
        else
        {
            byte[] copy = ArrayPool<byte>.Shared.Rent((int)window.Length);
            try
            {
                window.CopyTo(copy);
                length = ScanSizeLine(copy.AsSpan(0, (int)window.Length), _kind, out size);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }
        if (length == 0)
        {
            if (atLimit)
            {
                throw HttpErrors.InvalidChunk(_kind,
                    $"a chunk's size line (size and extensions) is longer than {HttpMessageLimits.StartLineName(_kind)} ({max} bytes; RFC 9112 §7.1.1): no CRLF within it", window.FirstSpan);
            }
            return false;
        }
        reader.Advance(length);
        if (size == 0)
        {
            _state = State.Trailers;
        }
        else
        {
            _remaining = size;
            _state = State.Data;
        }
        return true;
    }

    /// <summary>Scans a size line; returns its length with CRLF, or 0 when more bytes are needed.</summary>
    private static int ScanSizeLine(ReadOnlySpan<byte> line, HttpMessageKind kind, out long size)
    {
        size = 0;
        int digits = line.IndexOfAnyExcept(HttpSyntax.HexDigitBytes);
        int available = digits < 0 ? line.Length : digits;
        for (int i = 0; i < available; i++)
        {
            if (size > (long.MaxValue >> 4))
                throw HttpErrors.InvalidChunk(kind, $"the chunk size is larger than {long.MaxValue} (overflow)", line[..(i + 1)]);
            size = (size << 4) | (long)HexValue(line[i]);
        }
        if (digits < 0)
            return 0;
        if (digits == 0)
            throw HttpErrors.InvalidChunk(kind, $"a chunk size starts with {HttpErrors.Describe(line[0])}: it is hex digits only (no sign, 0x, or whitespace; CVE-2022-24801)", line[..1]);
        int end = ChunkExtensions.Scan(line[digits..], kind);
        return end == 0 ? 0 : digits + end;
    }

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>The CRLF after a chunk's data, exactly.</summary>
    private bool TryReadDataEnd(ref SequenceReader<byte> reader)
    {
        if (!reader.TryPeek(out byte cr))
            return false;
        if (cr != '\r')
            throw HttpErrors.InvalidChunk(_kind, $"a chunk's data is followed by {HttpErrors.Describe(cr)}, not CRLF (its size was wrong, or the line end is bare; CVE-2025-58056)", [cr]);
        if (!reader.TryPeek(1, out byte lf))
            return false;
        if (lf != '\n')
            throw HttpErrors.InvalidChunk(_kind, "a chunk's data is followed by a bare CR, not CRLF", [cr, lf]);
        reader.Advance(2);
        return true;
    }

    private bool TryReadTrailers(ref SequenceReader<byte> reader)
    {
        ReadOnlySequence<byte> rest = reader.UnreadSequence;
        ReadOnlySequence<byte> window = rest.Slice(0, Math.Min(rest.Length, _limits.MaxHeadersTotalSize));
        ReadOnlySpan<byte> section = window.IsSingleSegment ? window.FirstSpan : window.ToArray();
        // The window is cut at the limit, so ScanSection sees "at the limit" exactly when the rest reaches it.
        (int Start, FieldLine Line)[] lines = [];
        int scanned = 0, count = 0;
        int length = FieldLine.ScanSection(section, _limits, _kind, "trailer", ref lines, ref scanned, ref count);
        if (length < 0)
            return false;
        for (int i = 0; i < count; i++)
        {
            var (start, line) = lines[i];
            ReadOnlySpan<byte> at = section[start..];
            _trailers.AddChecked(KnownStrings.FieldName(at[..line.NameLength], out _), Encoding.Latin1.GetString(at[line.ValueStart..line.ValueEnd]));
        }
        reader.Advance(length);
        _state = State.Done;
        return true;
    }

    private enum State
    {
        SizeLine,
        Data,
        DataEnd,
        Trailers,
        Done,
    }
}
