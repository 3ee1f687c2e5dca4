using System.Globalization;
using System.Text;

namespace RxNet.Load;

/// <summary>Checks one HTTP/1.1 response at a time as its bytes arrive, without buffering its body: the status
/// line must be <c>HTTP/1.1 200</c>, the framing exactly one of <c>Content-Length</c> and
/// <c>Transfer-Encoding: chunked</c> (strict chunk syntax, no <c>Connection: close</c>), and the body byte for
/// byte the expected one. Anything else throws <see cref="InvalidDataException"/> saying what was wrong: after
/// that the connection's framing cannot be trusted.</summary>
internal sealed class HttpResponseParser
{
    /// <summary>The longest head (status line and fields) accepted.</summary>
    public const int MaxHead = 16 * 1024;

    // The longest chunk-size line accepted ("ffffffff" and its CRLF, with room to spare).
    private const int MaxChunkLine = 32;

    private HttpExpectation _expected = new(ReadOnlyMemory<byte>.Empty, null);
    private Part _part = Part.Done;
    private long _remaining;   // of the fixed body or of the current chunk
    private int _matched;      // body bytes matched so far

    private enum Part { Head, FixedBody, ChunkSize, ChunkData, ChunkEnd, Trailers, Done }

    /// <summary>Starts checking the next response against <paramref name="expected"/>.</summary>
    public void Begin(HttpExpectation expected)
    {
        _expected = expected;
        _part = Part.Head;
        _remaining = 0;
        _matched = 0;
    }

    /// <summary>Consumes what it can of <paramref name="data"/>, the bytes received and not yet consumed.</summary>
    /// <param name="data">The received bytes from where the last call stopped.</param>
    /// <param name="consumed">How many of them belong to this response and were checked.</param>
    /// <returns>True when the response is complete; false when it needs more bytes.</returns>
    /// <exception cref="InvalidDataException">The response is not what it must be.</exception>
    public bool Step(ReadOnlySpan<byte> data, out int consumed)
    {
        var position = 0;
        while (true)
        {
            var rest = data[position..];
            switch (_part)
            {
                case Part.Head:
                    var end = rest.IndexOf("\r\n\r\n"u8);
                    if (end < 0)
                    {
                        if (rest.Length > MaxHead)
                            throw new InvalidDataException($"no end of the response head within {MaxHead} bytes");
                        consumed = position;
                        return false;
                    }
                    ReadHead(rest[..(end + 2)]);
                    position += end + 4;
                    break;
                case Part.FixedBody or Part.ChunkData:
                    var take = (int)Math.Min(_remaining, rest.Length);
                    if (take == 0)
                    {
                        if (_remaining == 0)
                        {
                            _part = _part == Part.FixedBody ? Part.Done : Part.ChunkEnd;
                            break;
                        }
                        consumed = position;
                        return false;
                    }
                    Match(rest[..take]);
                    _remaining -= take;
                    position += take;
                    break;
                case Part.ChunkEnd:
                    if (rest.Length < 2)
                    {
                        consumed = position;
                        return false;
                    }
                    if (!rest.StartsWith("\r\n"u8))
                        throw new InvalidDataException("chunk data not followed by CRLF");
                    position += 2;
                    _part = Part.ChunkSize;
                    break;
                case Part.ChunkSize:
                    var line = rest.IndexOf("\r\n"u8);
                    if (line < 0)
                    {
                        if (rest.Length > MaxChunkLine)
                            throw new InvalidDataException("chunk-size line too long");
                        consumed = position;
                        return false;
                    }
                    _remaining = ChunkSize(rest[..line]);
                    position += line + 2;
                    _part = _remaining == 0 ? Part.Trailers : Part.ChunkData;
                    break;
                case Part.Trailers:
                    var field = rest.IndexOf("\r\n"u8);
                    if (field < 0)
                    {
                        if (rest.Length > MaxHead)
                            throw new InvalidDataException("trailer field too long");
                        consumed = position;
                        return false;
                    }
                    position += field + 2;
                    if (field == 0)
                        _part = Part.Done;
                    break;
                default:
                    if (_matched != _expected.Body.Length)
                        throw new InvalidDataException($"body of {_matched} bytes, expected {_expected.Body.Length}");
                    consumed = position;
                    return true;
            }
        }
    }

    private void ReadHead(ReadOnlySpan<byte> head)
    {
        var statusEnd = head.IndexOf("\r\n"u8);
        var status = head[..statusEnd];
        if (!status.StartsWith("HTTP/1.1 200 "u8) && !status.SequenceEqual("HTTP/1.1 200"u8))
            throw new InvalidDataException($"status line '{Encoding.ASCII.GetString(status)}', expected HTTP/1.1 200");
        long? length = null;
        var chunked = false;
        string? contentType = null;
        for (var fields = head[(statusEnd + 2)..]; !fields.IsEmpty;)
        {
            var lineEnd = fields.IndexOf("\r\n"u8);
            var line = fields[..lineEnd];
            fields = fields[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
                throw new InvalidDataException($"malformed field '{Encoding.ASCII.GetString(line)}'");
            var name = Encoding.ASCII.GetString(line[..colon]);
            var value = Encoding.ASCII.GetString(line[(colon + 1)..]).Trim(' ', '\t');
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (length is not null || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                    throw new InvalidDataException($"bad or repeated Content-Length '{value}'");
                length = parsed;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                if (chunked || !value.Equals("chunked", StringComparison.OrdinalIgnoreCase))
                    throw new InvalidDataException($"Transfer-Encoding '{value}', expected one 'chunked'");
                chunked = true;
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && value.Contains("close", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException("Connection: close on a keep-alive connection");
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
        }
        if (_expected.ContentType is { } media && (contentType is null || !contentType.StartsWith(media, StringComparison.OrdinalIgnoreCase)))
            throw new InvalidDataException($"Content-Type '{contentType}', expected {media}");
        if (chunked == length.HasValue)
            throw new InvalidDataException(chunked ? "both Content-Length and chunked" : "neither Content-Length nor chunked");
        if (length is { } declared && declared != _expected.Body.Length)
            throw new InvalidDataException($"Content-Length {declared}, expected {_expected.Body.Length}");
        _remaining = length ?? 0;
        _part = chunked ? Part.ChunkSize : Part.FixedBody;
    }

    // Hex digits only (no extension, no whitespace: the servers measured send none), at most 8 of them.
    private static long ChunkSize(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || line.Length > 8 || !long.TryParse(line, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size))
            throw new InvalidDataException($"bad chunk-size line '{Encoding.ASCII.GetString(line)}'");
        return size;
    }

    private void Match(ReadOnlySpan<byte> bytes)
    {
        var expected = _expected.Body.Span;
        if (_matched + bytes.Length > expected.Length)
            throw new InvalidDataException($"body longer than the expected {expected.Length} bytes");
        if (!bytes.SequenceEqual(expected.Slice(_matched, bytes.Length)))
            throw new InvalidDataException($"body differs from the expected one within bytes {_matched}-{_matched + bytes.Length}");
        _matched += bytes.Length;
    }
}
