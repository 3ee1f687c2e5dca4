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
internal sealed class RequestHeadParser : IHeadSpanParser<RequestHead>
{
    private readonly HttpMessageLimits _limits;
    private readonly int _maxHeadBytes;
    private readonly HeaderSection _section;
    private string? _lastTarget;
    private HeadFeed _feed;
    private RequestLine _line;

    /// <summary>Creates a parser bound by the options' request-line and header limits.</summary>
    /// <param name="options">The limits.</param>
    public RequestHeadParser(HttpServerOptions options)
    {
        _limits = HttpMessageLimits.Of(options);
        // Leading empty lines, the request line and the header section are each bounded, so a head never needs more.
        _maxHeadBytes = (2 * _limits.MaxStartLineSize) + _limits.MaxHeadersTotalSize;
        _section = new HeaderSection(_limits, HttpMessageKind.Request);
    }

    /// <inheritdoc/>
    bool IHeadSpanParser<RequestHead>.CanResume => _section.Start >= 0;

    /// <summary>Parses one request head at the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">The bytes received and not yet consumed.</param>
    /// <param name="head">The head, when the result is <see langword="true"/>.</param>
    /// <param name="consumed">Just after the head's final CRLF; <c>buffer.Start</c> when more bytes are needed.</param>
    /// <returns>Whether a whole head was parsed.</returns>
    /// <exception cref="HttpProtocolException">The bytes seen break a rule or a limit.</exception>
    public bool TryParse(in ReadOnlySequence<byte> buffer, out RequestHead head, out SequencePosition consumed) =>
        _feed.TryParse<RequestHeadParser, RequestHead>(this, _maxHeadBytes, buffer, out head, out consumed);

    /// <inheritdoc/>
    int IHeadSpanParser<RequestHead>.Parse(ReadOnlySpan<byte> s, bool resume, out RequestHead head) => Parse(s, resume, out head);

    /// <summary>Parses a head at the start of <paramref name="s"/>; returns its length, or 0 when more bytes are needed.</summary>
    private int Parse(ReadOnlySpan<byte> s, bool resume, out RequestHead head)
    {
        head = default;
        if (resume)
            return ParseFields(s, out head);
        _section.Reset();
        int maxLine = _limits.MaxStartLineSize;

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
        _line = new RequestLine(method, lineStart + targetStart, lineStart + targetEnd, version);
        _section.Begin(lineStart + read);
        return ParseFields(s, out head);
    }

    /// <summary>Scans the header section on from where the last call stopped, then builds the head.</summary>
    private int ParseFields(ReadOnlySpan<byte> s, out RequestHead head)
    {
        head = default;
        int length = _section.Scan(s);
        if (length > 0)
        {
            head = Interpret(_line.Method, Target(s[_line.TargetStart.._line.TargetEnd]), _line.Version, s);
            _section.Release(); // between heads (an idle keep-alive connection) no field-line table is held
        }
        return length;
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
    private RequestHead Interpret(string method, string target, Version version, ReadOnlySpan<byte> s)
    {
        bool http11 = version == HttpVersion.Version11;
        var headers = new HttpHeaders(_section.Count);
        var fields = default(FramingFields);
        int hosts = 0;
        bool expectContinue = false;
        for (int i = 0; i < _section.Count; i++)
        {
            string value = _section.Add(headers, s, i, out ReadOnlySpan<byte> nameBytes, out ReadOnlySpan<byte> valueBytes);
            switch (fields.Read(HttpMessageKind.Request, http11, nameBytes, value, valueBytes))
            {
                case SpecialField.Host:
                    if (++hosts > 1)
                        throw HostError("more than one Host field", valueBytes);
                    CheckHost(valueBytes, requirePort: false, HttpProtocolError.InvalidHost, "Invalid Host field (RFC 9112 §3.2)");
                    break;
                case SpecialField.Expect:
                    if (http11)
                        expectContinue |= ReadExpect(valueBytes);
                    break;
            }
        }

        if (http11 && hosts == 0)
            throw HostError("an HTTP/1.1 request has no Host field", s[_section.Start..Math.Min(s.Length, _section.Start + 64)]);

        BodyFraming framing = fields.Framing(HttpMessageKind.Request, out long length);
        return new RequestHead(method, target, version, headers, framing, length,
            KeepAlive: fields.KeepAlive(http11),
            ExpectContinue: expectContinue,
            CloseAfter: false,
            Upgrade: http11 && fields.ConnectionUpgrade ? fields.Upgrade : null);
    }

    private string Target(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 1 && bytes[0] == '/')
            return "/";
        if (_lastTarget is { } last && Ascii.Equals(bytes, last))
            return last;
        return _lastTarget = Encoding.ASCII.GetString(bytes);
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

    /// <summary>The request line of the head being parsed: its method, where its target is, its version.</summary>
    private readonly record struct RequestLine(string Method, int TargetStart, int TargetEnd, Version Version);
}
