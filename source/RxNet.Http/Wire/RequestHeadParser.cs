using System.Buffers;
using System.Net;
using System.Text;

namespace RxNet.Http;

/// <summary>
/// Parses request heads (RFC 9112 §2-§6) strictly: the request line, the field lines, and the framing and
/// connection fields, throwing an <see cref="HttpProtocolException"/> at the first byte that breaks a rule or a
/// limit.
/// </summary>
/// <remarks>
/// <para>A call that returns <see langword="false"/> consumes nothing; the caller passes the same bytes again with
/// more. When the new buffer starts at the same position, parsing resumes after the last whole field line;
/// otherwise it starts over. Every check is made left to right at the byte that decides it, so however the bytes
/// are cut, a head gives the same result or the same error.</para>
/// <para>Allocation: a head in one segment is parsed in place; the method and the common field names are shared
/// strings; a value (or target) equal to the one the same name had on this parser's previous request is
/// reused, so a keep-alive connection repeating its requests allocates little more than the header list. One
/// parser per connection; not thread-safe.</para>
/// </remarks>
internal sealed class RequestHeadParser
{
    private readonly HttpServerOptions _options;
    private readonly int _maxHeadBytes;
    private readonly string?[] _lastValues = new string?[KnownStrings.FieldNameCount];
    private string? _lastTarget;
    private bool _pending;
    private SequencePosition _pendingStart;
    private long _pendingLength;
    private Progress _progress;
    private (int Start, FieldLine Line)[] _fields = new (int, FieldLine)[16];

    /// <summary>Creates a parser bound by the options' request-line and header limits.</summary>
    /// <param name="options">The limits.</param>
    public RequestHeadParser(HttpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        // Leading empty lines, the request line and the header section are each bounded, so a head never needs more.
        _maxHeadBytes = (2 * options.MaxRequestLineSize) + options.MaxRequestHeadersTotalSize;
    }

    /// <summary>Parses one request head at the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">The bytes received and not yet consumed.</param>
    /// <param name="head">The head, when the result is <see langword="true"/>.</param>
    /// <param name="consumed">Just after the head's final CRLF; <c>buffer.Start</c> when more bytes are needed.</param>
    /// <returns>Whether a whole head was parsed.</returns>
    /// <exception cref="HttpProtocolException">The bytes seen break a rule or a limit.</exception>
    public bool TryParse(in ReadOnlySequence<byte> buffer, out RequestHead head, out SequencePosition consumed)
    {
        // After "more, please" the caller passes the same bytes again and more: the field lines already scanned are
        // not scanned again, so a head dribbled in byte by byte costs linear, not quadratic, time. Errors and heads
        // found in the first segment alone are those of the whole buffer (every check is made at the byte that
        // decides it), so the copy below is only for a head that really spans segments.
        bool resume = _pending && buffer.Start.Equals(_pendingStart) && buffer.Length >= _pendingLength;
        _pending = false;
        head = default;
        int length = buffer.IsSingleSegment || !resume ? Parse(buffer.FirstSpan, resume, out head) : 0;
        if (length == 0 && !buffer.IsSingleSegment)
        {
            int size = (int)Math.Min(buffer.Length, _maxHeadBytes);
            byte[] copy = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                buffer.Slice(0, size).CopyTo(copy);
                length = Parse(copy.AsSpan(0, size), resume, out head);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }
        if (length == 0)
        {
            // Resume only once the request line is whole (its scan is bounded by MaxRequestLineSize anyway).
            _pending = _progress.Method is not null;
            _pendingStart = buffer.Start;
            _pendingLength = buffer.Length;
            consumed = buffer.Start;
            return false;
        }
        consumed = buffer.GetPosition(length);
        return true;
    }

    /// <summary>Parses a head at the start of <paramref name="s"/>; returns its length, or 0 when more bytes are needed.</summary>
    private int Parse(ReadOnlySpan<byte> s, bool resume, out RequestHead head)
    {
        head = default;
        if (resume)
            return ParseFields(s, _progress, out head);
        _progress = default;
        int maxLine = _options.MaxRequestLineSize;

        // RFC 9112 §2.2: ignore empty lines before the request line, but not without end.
        int p = 0;
        while (true)
        {
            if (p >= s.Length)
                return 0;
            if (s[p] == '\n')
                throw LineError("a bare LF before the request line (only CRLF ends a line)", s[..(p + 1)]);
            if (s[p] != '\r')
                break;
            if (p + 1 == s.Length)
                return 0;
            if (s[p + 1] != '\n')
                throw LineError("a bare CR (not followed by LF) before the request line", s[..(p + 2)]);
            p += 2;
            if (p > maxLine)
                throw LineError($"more than MaxRequestLineSize ({maxLine} bytes) of empty lines before the request line", s[..p]);
        }

        int lineStart = p;
        bool lineAtLimit = s.Length - lineStart >= maxLine;
        ReadOnlySpan<byte> line = s.Slice(lineStart, Math.Min(s.Length - lineStart, maxLine));
        int read = ParseRequestLine(line, out string method, out int targetStart, out int targetEnd, out Version version);
        if (read == 0)
        {
            if (lineAtLimit)
            {
                throw HttpErrors.Create(HttpProtocolError.RequestLineTooLong, 414,
                    $"The request line is longer than MaxRequestLineSize ({maxLine} bytes, CRLF included; RFC 9112 §3): no CRLF within the first {maxLine} bytes", line);
            }
            return 0;
        }
        return ParseFields(s, new Progress(method, lineStart + targetStart, lineStart + targetEnd, version, lineStart + read, 0, 0), out head);
    }

    /// <summary>Scans the header section from where <paramref name="progress"/> says, then builds the head.</summary>
    private int ParseFields(ReadOnlySpan<byte> s, Progress progress, out RequestHead head)
    {
        head = default;
        int sectionStart = progress.SectionStart;
        int scanned = progress.Scanned, count = progress.Count;
        int sectionLength = FieldLine.ScanSection(s[sectionStart..], _options, "header", ref _fields, ref scanned, ref count);
        if (sectionLength < 0)
        {
            _progress = progress with { Scanned = scanned, Count = count };
            return 0;
        }
        string target = Target(s[progress.TargetStart..progress.TargetEnd]);
        head = Interpret(progress.Method, target, progress.Version, s[sectionStart..], count);
        return sectionStart + sectionLength;
    }

    /// <summary>Parses <c>method SP request-target SP HTTP-version CRLF</c>; returns its length with CRLF, or 0 if incomplete.</summary>
    private static int ParseRequestLine(ReadOnlySpan<byte> line, out string method, out int targetStart, out int targetEnd, out Version version)
    {
        method = "";
        targetStart = targetEnd = 0;
        version = HttpVersion.Version11;

        int methodEnd = line.IndexOfAnyExcept(HttpSyntax.TokenBytes);
        if (methodEnd < 0)
            return 0;
        if (methodEnd == 0 || line[methodEnd] != ' ')
        {
            throw LineError(methodEnd == 0
                ? $"the request line starts with {HttpErrors.Describe(line[0])}, not a method (a token)"
                : $"the method is followed by {HttpErrors.Describe(line[methodEnd])}, not a single SP (a method is a token)", line[..(methodEnd + 1)]);
        }

        targetStart = methodEnd + 1;
        int visible = line[targetStart..].IndexOfAnyExcept(HttpSyntax.VisibleBytes);
        if (visible < 0)
            return 0;
        targetEnd = targetStart + visible;
        byte stop = line[targetEnd];
        if (visible == 0)
        {
            throw stop == ' '
                ? LineError("two spaces after the method (the request line separates its parts by single SPs)", line[..(targetEnd + 1)])
                : LineError($"the method is followed by SP then {HttpErrors.Describe(stop)}, not a request target", line[..(targetEnd + 1)]);
        }
        if (stop != ' ')
        {
            throw stop is (byte)'\r' or (byte)'\n'
                ? LineError("the request line has no HTTP version (HTTP/0.9 is not supported)", line[..(targetEnd + 1)])
                : HttpErrors.Create(HttpProtocolError.InvalidRequestTarget, 400,
                    $"Invalid request target (RFC 9112 §3.2): it holds {HttpErrors.Describe(stop)}; a target is visible ASCII only", line[..(targetEnd + 1)]);
        }
        method = KnownStrings.Method(line[..methodEnd]);
        CheckTargetForm(method, line[targetStart..targetEnd]);

        // HTTP-version = "HTTP/" DIGIT "." DIGIT, then CRLF, checked byte by byte so a prefix fails as the whole would.
        int at = targetEnd + 1;
        ReadOnlySpan<byte> expected = "HTTP/0.0\r\n"u8;
        for (int k = 0; k < expected.Length; k++)
        {
            if (at + k >= line.Length)
                return 0;
            byte b = line[at + k];
            bool ok = k is 5 or 7 ? char.IsAsciiDigit((char)b) : b == expected[k];
            if (!ok)
            {
                throw k switch
                {
                    8 when b == '\n' => LineError("a bare LF ends the request line (only CRLF may)", line[..(at + k + 1)]),
                    9 => LineError("a bare CR (not followed by LF) ends the request line", line[..(at + k + 1)]),
                    _ => LineError("the HTTP version is not HTTP/DIGIT.DIGIT followed by CRLF (it is case-sensitive, one SP before it, none after)", line[..(at + k + 1)]),
                };
            }
        }
        int major = line[at + 5] - '0', minor = line[at + 7] - '0';
        if (major != 1 || minor > 1)
        {
            throw HttpErrors.Create(HttpProtocolError.UnsupportedVersion, 505,
                $"HTTP/{major}.{minor} is not supported: this server speaks HTTP/1.1 and HTTP/1.0", line[at..(at + 8)]);
        }
        version = minor == 1 ? HttpVersion.Version11 : HttpVersion.Version10;
        return at + expected.Length;
    }

    /// <summary>Builds the head from the scanned fields, checking Host, framing, Connection and Expect.</summary>
    private RequestHead Interpret(string method, string target, Version version, ReadOnlySpan<byte> s, int count)
    {
        bool http11 = version == HttpVersion.Version11;
        var headers = new HttpHeaders(count);
        int hosts = 0;
        string? contentLength = null, upgrade = null;
        bool transferEncoding = false, chunked = false, close = false, keepAlive = false, connectionUpgrade = false, expectContinue = false;
        for (int i = 0; i < count; i++)
        {
            var field = _fields[i];
            ReadOnlySpan<byte> nameBytes = s.Slice(field.Start, field.Line.NameLength);
            ReadOnlySpan<byte> valueBytes = s[(field.Start + field.Line.ValueStart)..(field.Start + field.Line.ValueEnd)];
            string name = KnownStrings.FieldName(nameBytes, out int id);
            string value = Value(valueBytes, id);
            headers.AddChecked(name, value);

            switch (Special(nameBytes))
            {
                case SpecialField.Host:
                    if (++hosts > 1)
                        throw HostError("more than one Host field", valueBytes);
                    CheckHost(valueBytes, requirePort: false, HttpProtocolError.InvalidHost, "Invalid Host field (RFC 9112 §3.2)");
                    break;
                case SpecialField.ContentLength:
                    if (contentLength is not null)
                    {
                        throw HttpErrors.Create(HttpProtocolError.InvalidContentLength, 400,
                            $"Content-Length occurs more than once (RFC 9112 §6.3; CVE-2020-10108): the first was \"{HttpErrors.Printable(Encoding.Latin1.GetBytes(contentLength))}\", another", valueBytes);
                    }
                    contentLength = value;
                    break;
                case SpecialField.TransferEncoding:
                    transferEncoding = true;
                    if (!http11)
                    {
                        throw HttpErrors.Create(HttpProtocolError.UnsupportedTransferEncoding, 400,
                            "Transfer-Encoding in an HTTP/1.0 request: its framing cannot be trusted (RFC 9112 §6.1)", valueBytes);
                    }
                    chunked = ReadCodings(valueBytes, chunked);
                    break;
                case SpecialField.Connection:
                    ReadConnection(value, ref close, ref keepAlive, ref connectionUpgrade);
                    break;
                case SpecialField.Expect:
                    if (http11)
                        expectContinue |= ReadExpect(valueBytes);
                    break;
                case SpecialField.Upgrade:
                    upgrade ??= value;
                    break;
            }
        }

        if (http11 && hosts == 0)
            throw HostError("an HTTP/1.1 request has no Host field", s[..Math.Min(s.Length, 64)]);

        var framing = BodyFraming.None;
        long length = 0;
        if (transferEncoding)
        {
            if (contentLength is not null)
            {
                throw HttpErrors.Create(HttpProtocolError.ConflictingFraming, 400,
                    "The request has both Transfer-Encoding and Content-Length (RFC 9112 §6.1; request smuggling, CVE-2020-10109): this server rejects it rather than reading it as chunked; Content-Length", Encoding.Latin1.GetBytes(contentLength));
            }
            framing = BodyFraming.Chunked;
        }
        else if (contentLength is not null)
        {
            length = ParseContentLength(contentLength);
            framing = BodyFraming.ContentLength;
        }

        return new RequestHead(method, target, version, headers, framing, length,
            KeepAlive: http11 ? !close : keepAlive && !close,
            ExpectContinue: expectContinue,
            CloseAfter: false,
            Upgrade: http11 && connectionUpgrade ? upgrade : null);
    }

    /// <summary>The value's string, reusing the one this name had last time when the bytes are the same.</summary>
    private string Value(ReadOnlySpan<byte> bytes, int id)
    {
        if (bytes.IsEmpty)
            return "";
        if (id >= 0 && _lastValues[id] is { } last && Ascii.Equals(bytes, last))
            return last;
        if (KnownStrings.CommonValue(bytes) is { } common)
            return common;
        string value = Encoding.Latin1.GetString(bytes);
        if (id >= 0)
            _lastValues[id] = value;
        return value;
    }

    private string Target(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 1 && bytes[0] == '/')
            return "/";
        if (_lastTarget is { } last && Ascii.Equals(bytes, last))
            return last;
        return _lastTarget = Encoding.ASCII.GetString(bytes);
    }

    private static SpecialField Special(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when Ascii.EqualsIgnoreCase(name, "host"u8) => SpecialField.Host,
        6 when Ascii.EqualsIgnoreCase(name, "expect"u8) => SpecialField.Expect,
        7 when Ascii.EqualsIgnoreCase(name, "upgrade"u8) => SpecialField.Upgrade,
        10 when Ascii.EqualsIgnoreCase(name, "connection"u8) => SpecialField.Connection,
        14 when Ascii.EqualsIgnoreCase(name, "content-length"u8) => SpecialField.ContentLength,
        17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8) => SpecialField.TransferEncoding,
        _ => SpecialField.None,
    };

    /// <summary>
    /// Reads one Transfer-Encoding field's codings; returns whether chunked is now the last one. chunked twice or
    /// not last: 400; any other coding: 501 (RFC 9112 §6.1).
    /// </summary>
    private static bool ReadCodings(ReadOnlySpan<byte> value, bool chunkedSoFar)
    {
        bool any = false;
        bool chunked = chunkedSoFar;
        foreach (Range range in value.Split((byte)','))
        {
            ReadOnlySpan<byte> coding = value[range].Trim(" \t"u8);
            if (coding.IsEmpty)
                continue; // RFC 9110 §5.6.1.2: empty list elements are ignored
            any = true;
            int semicolon = coding.IndexOf((byte)';');
            ReadOnlySpan<byte> name = (semicolon < 0 ? coding : coding[..semicolon]).TrimEnd(" \t"u8);
            if (name.IsEmpty || name.IndexOfAnyExcept(HttpSyntax.TokenBytes) >= 0)
            {
                throw HttpErrors.Create(HttpProtocolError.UnsupportedTransferEncoding, 400,
                    "a Transfer-Encoding element is not a transfer coding (a token, maybe with parameters; RFC 9112 §6.1)", value);
            }
            if (chunked)
            {
                throw HttpErrors.Create(HttpProtocolError.UnsupportedTransferEncoding, 400,
                    "chunked is not the last transfer coding, or occurs twice (RFC 9112 §6.1)", value);
            }
            if (!Ascii.EqualsIgnoreCase(name, "chunked"u8))
            {
                throw HttpErrors.Create(HttpProtocolError.UnsupportedTransferEncoding, 501,
                    "a transfer coding other than chunked, which this server does not implement (RFC 9112 §6.1)", value);
            }
            if (semicolon >= 0)
            {
                throw HttpErrors.Create(HttpProtocolError.UnsupportedTransferEncoding, 400,
                    "chunked takes no parameters (RFC 9112 §7)", value);
            }
            chunked = true;
        }
        if (!any)
        {
            throw HttpErrors.Create(HttpProtocolError.UnsupportedTransferEncoding, 400,
                "an empty Transfer-Encoding field (RFC 9112 §6.1)", value);
        }
        return chunked;
    }

    /// <summary>Content-Length = 1*DIGIT, no sign, space or list, and within a long (RFC 9112 §6.3; CVE-2022-24801).</summary>
    private static long ParseContentLength(string value)
    {
        if (value.Length == 0 || !IsDigits(value) || !long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long length))
        {
            throw HttpErrors.Create(HttpProtocolError.InvalidContentLength, 400,
                value.Length > 0 && IsDigits(value)
                    ? $"Content-Length is larger than {long.MaxValue} (RFC 9112 §6.3)"
                    : "Content-Length is not one decimal number of digits only (no sign, space, hex, list or empty value; RFC 9112 §6.3)",
                Encoding.Latin1.GetBytes(value));
        }
        return length;
    }

    private static bool IsDigits(string value) => value.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;

    private static void ReadConnection(string value, ref bool close, ref bool keepAlive, ref bool upgrade)
    {
        foreach (Range range in value.AsSpan().Split(','))
        {
            ReadOnlySpan<char> option = value.AsSpan()[range].Trim(" \t");
            if (option.Equals("close", StringComparison.OrdinalIgnoreCase))
                close = true;
            else if (option.Equals("keep-alive", StringComparison.OrdinalIgnoreCase))
                keepAlive = true;
            else if (option.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
                upgrade = true;
        }
    }

    /// <summary>Reads an Expect field of an HTTP/1.1 request: whether it asks 100-continue; any other expectation is a 417.</summary>
    private static bool ReadExpect(ReadOnlySpan<byte> value)
    {
        bool expectContinue = false;
        foreach (Range range in value.Split((byte)','))
        {
            ReadOnlySpan<byte> expectation = value[range].Trim(" \t"u8);
            if (expectation.IsEmpty)
                continue;
            if (!Ascii.EqualsIgnoreCase(expectation, "100-continue"u8))
            {
                throw HttpErrors.Create(HttpProtocolError.ExpectationFailed, 417,
                    "an expectation other than 100-continue, which this server cannot meet (RFC 9110 §10.1.1)", value);
            }
            expectContinue = true;
        }
        return expectContinue;
    }

    /// <summary>
    /// The request target's form against the method (RFC 9112 §3.2): authority-form only and always for CONNECT,
    /// asterisk-form only for OPTIONS, otherwise origin-form or an absolute URI with <c>scheme://authority</c>.
    /// </summary>
    private static void CheckTargetForm(string method, ReadOnlySpan<byte> target)
    {
        if (method == "CONNECT")
        {
            CheckHost(target, requirePort: true, HttpProtocolError.InvalidRequestTarget,
                "Invalid request target (RFC 9112 §3.2.3): CONNECT takes only the authority-form host:port");
            return;
        }
        if (target[0] == '/')
            return;
        if (target.Length == 1 && target[0] == '*')
        {
            if (method == "OPTIONS")
                return;
            throw TargetError("the asterisk-form * is only for OPTIONS (RFC 9112 §3.2.4)", target);
        }
        int colon = target.IndexOf("://"u8);
        if (colon > 0 && char.IsAsciiLetter((char)target[0])
            && target[1..colon].IndexOfAnyExcept(SchemeBytes) < 0
            && colon + 3 < target.Length && target[colon + 3] is not ((byte)'/' or (byte)'?' or (byte)'#'))
        {
            return;
        }
        throw TargetError("a target is origin-form (/path?query), absolute-form (scheme://authority/path), authority-form for CONNECT only, or * for OPTIONS only (RFC 9112 §3.2)", target);
    }

    private static readonly SearchValues<byte> SchemeBytes = SearchValues.Create("+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>reg-name, IPv4address: unreserved / pct-encoded / sub-delims (RFC 3986 §3.2.2).</summary>
    private static readonly SearchValues<byte> RegNameBytes = SearchValues.Create("-._~!$&'()*+,;=%0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>What an IP-literal between brackets may hold: IPv6address, or IPvFuture's unreserved / sub-delims / ":".</summary>
    private static readonly SearchValues<byte> IpLiteralBytes = SearchValues.Create("-._~!$&'()*+,;=:0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>uri-host [ ":" port ] (RFC 9110 §7.2, RFC 3986 §3.2.2); CONNECT's authority-form requires the port.</summary>
    private static void CheckHost(ReadOnlySpan<byte> value, bool requirePort, HttpProtocolError error, string rule)
    {
        ReadOnlySpan<byte> rest;
        if (!value.IsEmpty && value[0] == '[')
        {
            int close = value.IndexOf((byte)']');
            if (close < 2 || value[1..close].IndexOfAnyExcept(IpLiteralBytes) >= 0)
                throw HttpErrors.Create(error, 400, $"{rule}: an IP literal is [address] with hex digits, ':' and '.'", value);
            rest = value[(close + 1)..];
        }
        else
        {
            int end = value.IndexOf((byte)':');
            ReadOnlySpan<byte> host = end < 0 ? value : value[..end];
            int bad = host.IndexOfAnyExcept(RegNameBytes);
            if (bad >= 0 || (requirePort && host.IsEmpty) || !PercentEncodingIsValid(host))
                throw HttpErrors.Create(error, 400, $"{rule}: a host name holds only letters, digits, -._~!$&'()*+,;= and %XX", value);
            rest = end < 0 ? [] : value[end..];
        }
        if (rest.IsEmpty && !requirePort)
            return;
        if (rest.IsEmpty || rest[0] != ':' || rest[1..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 || (requirePort && rest.Length == 1))
            throw HttpErrors.Create(error, 400, $"{rule}: a host may be followed only by ':' and a port of digits", value);
    }

    private static bool PercentEncodingIsValid(ReadOnlySpan<byte> text)
    {
        for (int i = text.IndexOf((byte)'%'); i >= 0; i = text.IndexOf((byte)'%'))
        {
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit((char)text[i + 1]) || !char.IsAsciiHexDigit((char)text[i + 2]))
                return false;
            text = text[(i + 3)..];
        }
        return true;
    }

    private static HttpProtocolException LineError(string what, ReadOnlySpan<byte> seen) =>
        HttpErrors.Create(HttpProtocolError.InvalidRequestLine, 400, $"Invalid request line (RFC 9112 §3): {what}", seen);

    private static HttpProtocolException TargetError(string what, ReadOnlySpan<byte> seen) =>
        HttpErrors.Create(HttpProtocolError.InvalidRequestTarget, 400, $"Invalid request target: {what}", seen);

    private static HttpProtocolException HostError(string what, ReadOnlySpan<byte> seen) =>
        HttpErrors.Create(HttpProtocolError.InvalidHost, 400, $"Invalid Host (RFC 9112 §3.2 requires exactly one in HTTP/1.1): {what}", seen);

    /// <summary>How far an unfinished head was parsed: its request line, and the field lines scanned so far.</summary>
    private readonly record struct Progress(string Method, int TargetStart, int TargetEnd, Version Version, int SectionStart, int Scanned, int Count);

    private enum SpecialField
    {
        None,
        Host,
        ContentLength,
        TransferEncoding,
        Connection,
        Expect,
        Upgrade,
    }
}
