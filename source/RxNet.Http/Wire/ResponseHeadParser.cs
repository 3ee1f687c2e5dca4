using System.Buffers;
using System.Net;
using System.Text;

namespace RxNet.Http;

/// <summary>
/// Parses response heads (RFC 9112 §4-§6) strictly, for a client: the status line, the field lines with the
/// rules requests have, and the framing the status, the request's method and the fields give the body. Throws an
/// <see cref="HttpProtocolException"/> with status 502 (the upstream's answer is bad) at the first byte that
/// breaks a rule or a limit.
/// </summary>
/// <remarks>
/// <para>The status line is <c>HTTP/1.x SP 3DIGIT SP reason-phrase CRLF</c>: a later minor version is read as
/// HTTP/1.1 (RFC 9110 §2.5), another major version is <see cref="HttpProtocolError.UnsupportedVersion"/>, a code
/// outside 100-599 or a control character in the reason is <see cref="HttpProtocolError.InvalidStatusLine"/>.
/// The one lenience: a status line that ends right after its code (<c>HTTP/1.1 200 CRLF</c> without the SP) is
/// read with an empty reason, as browsers, curl and Go read it; it cannot change the framing. No empty line may
/// come before the status line (that leniency is a server's, RFC 9112 §2.2).</para>
/// <para>Framing (RFC 9112 §6.3): a response to HEAD, a 1xx, 204 and 304 and a 2xx to CONNECT have no body
/// whatever the fields say (the fields are still checked); otherwise Transfer-Encoding ending in chunked, else
/// Content-Length, else the body runs until the server closes (<see cref="BodyFraming.UntilClose"/>, never kept
/// alive). The framing fields follow <see cref="FramingFields"/>: Transfer-Encoding with Content-Length, differing
/// or listed or non-digit Content-Lengths, and codings other than a final chunked are errors, not guesses. A 1xx
/// is returned as a head like any other: the caller skips an interim response and parses again.</para>
/// <para>A call that returns <see langword="false"/> consumes nothing; the caller passes the same bytes again with
/// more, and parsing resumes after the last whole field line. Every check is made left to right at the byte that
/// decides it, so however the bytes are cut, a head gives the same result or the same error. One parser per
/// connection; not thread-safe.</para>
/// </remarks>
internal sealed class ResponseHeadParser : IHeadSpanParser<ResponseHead>
{
    private readonly HttpMessageLimits _limits;
    private readonly int _maxHeadBytes;
    private readonly HeaderSection _section;
    private HeadFeed _feed;
    private StatusLine _line;
    private string _requestMethod = "GET";

    /// <summary>Creates a parser bound by the client's status-line and header limits.</summary>
    /// <param name="limits">The limits: <see cref="HttpMessageLimits.MaxStartLineSize"/> bounds the status line.</param>
    public ResponseHeadParser(HttpMessageLimits limits)
    {
        _limits = limits;
        _maxHeadBytes = limits.MaxStartLineSize + limits.MaxHeadersTotalSize;
        _section = new HeaderSection(limits, HttpMessageKind.Response);
    }

    /// <inheritdoc/>
    bool IHeadSpanParser<ResponseHead>.CanResume => _section.Start >= 0;

    /// <summary>Parses one response head at the start of <paramref name="buffer"/>, for a request whose method was <paramref name="requestMethod"/>.</summary>
    /// <param name="buffer">The bytes received and not yet consumed.</param>
    /// <param name="requestMethod">The method of the request this response answers (HEAD and CONNECT change the framing).</param>
    /// <param name="head">The head, when the result is <see langword="true"/>.</param>
    /// <param name="consumed">Just after the head's final CRLF; <c>buffer.Start</c> when more bytes are needed.</param>
    /// <returns>Whether a whole head was parsed.</returns>
    /// <exception cref="HttpProtocolException">The bytes seen break a rule or a limit (status 502).</exception>
    public bool TryParse(in ReadOnlySequence<byte> buffer, string requestMethod, out ResponseHead head, out SequencePosition consumed)
    {
        ArgumentNullException.ThrowIfNull(requestMethod);
        _requestMethod = requestMethod;
        return _feed.TryParse<ResponseHeadParser, ResponseHead>(this, _maxHeadBytes, buffer, out head, out consumed);
    }

    /// <inheritdoc/>
    int IHeadSpanParser<ResponseHead>.Parse(ReadOnlySpan<byte> s, bool resume, out ResponseHead head)
    {
        head = default;
        if (resume)
            return ParseFields(s, out head);
        _section.Reset();
        int maxLine = _limits.MaxStartLineSize;
        bool atLimit = s.Length >= maxLine;
        ReadOnlySpan<byte> line = s[..Math.Min(s.Length, maxLine)];
        int read = ParseStatusLine(line, out Version version, out int status, out int reasonEnd);
        if (read == 0)
        {
            if (atLimit)
            {
                throw HttpErrors.Create(HttpProtocolError.StatusLineTooLong, 502,
                    $"The status line is longer than MaxStatusLineSize ({maxLine} bytes, CRLF included; RFC 9112 §4): no CRLF within the first {maxLine} bytes", line);
            }
            return 0;
        }
        _line = new StatusLine(version, status, reasonEnd);
        _section.Begin(read);
        return ParseFields(s, out head);
    }

    /// <summary>Scans the header section on from where the last call stopped, then builds the head.</summary>
    private int ParseFields(ReadOnlySpan<byte> s, out ResponseHead head)
    {
        head = default;
        int length = _section.Scan(s);
        if (length > 0)
        {
            head = Interpret(_line.Version, _line.Status, Reason(s[Math.Min(ReasonStart, _line.ReasonEnd).._line.ReasonEnd], _line.Status), s);
            _section.Release(); // between heads (an idle keep-alive connection) no field-line table is held
        }
        return length;
    }

    /// <summary>Where a reason phrase starts: after <c>HTTP/1.1 200 </c>.</summary>
    private const int ReasonStart = 13;

    /// <summary>
    /// Parses <c>HTTP/DIGIT.DIGIT SP 3DIGIT [SP reason-phrase] CRLF</c>; returns its length with CRLF, or 0 if
    /// incomplete. Byte by byte, so a prefix fails as the whole would.
    /// </summary>
    private static int ParseStatusLine(ReadOnlySpan<byte> line, out Version version, out int status, out int reasonEnd)
    {
        version = HttpVersion.Version11;
        status = 0;
        reasonEnd = ReasonStart;
        ReadOnlySpan<byte> expected = "HTTP/0.0 000"u8;
        for (int k = 0; k < expected.Length; k++)
        {
            if (k >= line.Length)
                return 0;
            byte b = line[k];
            bool digit = k is 5 or 7 or >= 9;
            if (digit ? !char.IsAsciiDigit((char)b) : b != expected[k])
            {
                throw StatusLineError(k < 9
                    ? "it does not start with the HTTP version HTTP/DIGIT.DIGIT and one SP (it is case-sensitive; an HTTP/0.9 response has no status line, and no empty line may come before it)"
                    : "the status code is not three digits", line[..(k + 1)]);
            }
            if (k == 7 && line[5] != '1')
            {
                throw HttpErrors.Create(HttpProtocolError.UnsupportedVersion, 502,
                    $"HTTP/{(char)line[5]}.{(char)b} is not supported: this client speaks HTTP/1.1 and HTTP/1.0", line[..(k + 1)]);
            }
        }
        status = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        if (status is < 100 or > 599)
            throw StatusLineError("the status code is outside 100-599 (RFC 9110 §15)", line[..12]);
        version = line[7] == '0' ? HttpVersion.Version10 : HttpVersion.Version11;

        if (line.Length == 12)
            return 0;
        int at = 12;
        if (line[at] == ' ')
        {
            int length = line[ReasonStart..].IndexOfAnyExcept(HttpSyntax.FieldValueBytes);
            if (length < 0)
                return 0;
            at = ReasonStart + length;
        }
        reasonEnd = at;
        byte stop = line[at];
        if (stop != '\r')
        {
            throw StatusLineError(stop switch
            {
                (byte)'\n' => "a bare LF ends it (only CRLF may)",
                _ when at == 12 => $"the status code is followed by {HttpErrors.Describe(stop)}, not SP",
                _ => $"the reason phrase holds {HttpErrors.Describe(stop)} (it is visible characters, SP and HTAB only)",
            }, line[..(at + 1)]);
        }
        if (at + 1 == line.Length)
            return 0;
        if (line[at + 1] != '\n')
            throw StatusLineError("a bare CR (not followed by LF) in it or ending it", line[..(at + 2)]);
        return at + 2;
    }

    /// <summary>Builds the head from the scanned fields: framing per RFC 9112 §6.3, Connection, Upgrade.</summary>
    private ResponseHead Interpret(Version version, int status, string reason, ReadOnlySpan<byte> s)
    {
        bool http11 = version == HttpVersion.Version11;
        var headers = new HttpHeaders(_section.Count);
        var fields = default(FramingFields);
        for (int i = 0; i < _section.Count; i++)
        {
            string value = _section.Add(headers, s, i, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> valueBytes);
            fields.Read(HttpMessageKind.Response, http11, name, value, valueBytes);
        }

        // The fields are checked whatever the status, so a response that breaks the framing rules fails the same way
        // whether or not it may have a body.
        BodyFraming framing = fields.Framing(HttpMessageKind.Response, out long length);
        bool bodiless = _requestMethod == "HEAD" || status is < 200 or 204 or 304
            || (_requestMethod == "CONNECT" && status is >= 200 and < 300);
        if (bodiless)
        {
            framing = BodyFraming.None;
            length = 0;
        }
        else if (framing == BodyFraming.None)
        {
            framing = BodyFraming.UntilClose;
        }
        return new ResponseHead(version, status, reason, headers, framing, length,
            KeepAlive: framing != BodyFraming.UntilClose && fields.KeepAlive(http11),
            Upgrade: status == 101 ? fields.Upgrade : null);
    }

    private static string Reason(ReadOnlySpan<byte> bytes, int status)
    {
        if (bytes.IsEmpty)
            return "";
        if (ReasonPhrases.For(status) is { } registered && Ascii.Equals(bytes, registered))
            return registered;
        return Encoding.Latin1.GetString(bytes);
    }

    private static HttpProtocolException StatusLineError(string what, ReadOnlySpan<byte> seen) =>
        HttpErrors.Create(HttpProtocolError.InvalidStatusLine, 502, $"Invalid status line (RFC 9112 §4): {what}", seen);

    /// <summary>The status line of the head being parsed: its version, its code, where its reason phrase ends.</summary>
    private readonly record struct StatusLine(Version Version, int Status, int ReasonEnd);
}
