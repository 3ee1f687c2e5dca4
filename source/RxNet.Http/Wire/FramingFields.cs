using System.Text;

namespace RxNet.Http;

/// <summary>
/// What a head's framing and connection fields say, gathered field by field: Content-Length, Transfer-Encoding,
/// Connection and Upgrade, each checked with the rules requests and responses share (RFC 9112 §6, §9.6;
/// RFC 9110 §7.6.1, §7.8).
/// </summary>
/// <remarks>
/// <para>Content-Length is digits only (no sign, space, hex or list: CVE-2022-24801) and within a long. A request
/// may carry it once (CVE-2020-10108); a response may repeat the same value, which RFC 9112 §6.3 lets a recipient
/// accept and servers in the wild send, but never a different one. Transfer-Encoding is a list of tokens whose last
/// is <c>chunked</c>, exactly once: any other coding is refused (501 in a request), since nothing here decodes it.
/// Transfer-Encoding with Content-Length, or in an HTTP/1.0 message, is refused rather than guessed
/// (CVE-2020-10109): that is how requests are smuggled and responses desynchronized.</para>
/// <para>A mutable struct, one per head, filled by <see cref="Read"/> in field order.</para>
/// </remarks>
internal struct FramingFields
{
    private string? _contentLength;
    private bool _transferEncoding;
    private bool _chunked;
    private bool _close;
    private bool _keepAlive;
    private bool _connectionUpgrade;

    /// <summary>The first Upgrade field's value, if any.</summary>
    public string? Upgrade { get; private set; }

    /// <summary>Connection lists <c>upgrade</c>.</summary>
    public readonly bool ConnectionUpgrade => _connectionUpgrade;

    /// <summary>Whether the connection stays open after the message: HTTP/1.1 unless Connection lists
    /// <c>close</c>; HTTP/1.0 only when it lists <c>keep-alive</c> and not <c>close</c>.</summary>
    /// <param name="http11">The message is HTTP/1.1.</param>
    public readonly bool KeepAlive(bool http11) => http11 ? !_close : _keepAlive && !_close;

    /// <summary>Which of the fields this type reads, or Host and Expect (which only requests have), a name is.</summary>
    /// <param name="name">A field name, any case.</param>
    public static SpecialField Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when Ascii.EqualsIgnoreCase(name, "host"u8) => SpecialField.Host,
        6 when Ascii.EqualsIgnoreCase(name, "expect"u8) => SpecialField.Expect,
        7 when Ascii.EqualsIgnoreCase(name, "upgrade"u8) => SpecialField.Upgrade,
        10 when Ascii.EqualsIgnoreCase(name, "connection"u8) => SpecialField.Connection,
        14 when Ascii.EqualsIgnoreCase(name, "content-length"u8) => SpecialField.ContentLength,
        17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8) => SpecialField.TransferEncoding,
        _ => SpecialField.None,
    };

    /// <summary>Takes one field into account, checking it; returns which special field it was.</summary>
    /// <param name="kind">Whose head it is.</param>
    /// <param name="http11">The message is HTTP/1.1.</param>
    /// <param name="name">The field's name as received.</param>
    /// <param name="value">The field's value.</param>
    /// <param name="valueBytes">The same value as received, for checks and messages.</param>
    /// <returns>What the field was; Host and Expect are for the caller to check.</returns>
    /// <exception cref="HttpProtocolException">The field breaks a framing rule.</exception>
    public SpecialField Read(HttpMessageKind kind, bool http11, ReadOnlySpan<byte> name, string value, ReadOnlySpan<byte> valueBytes)
    {
        SpecialField field = Classify(name);
        switch (field)
        {
            case SpecialField.ContentLength:
                if (_contentLength is not null && (kind == HttpMessageKind.Request || _contentLength != value))
                {
                    throw HttpErrors.Create(kind, HttpProtocolError.InvalidContentLength, 400, kind == HttpMessageKind.Request
                        ? $"Content-Length occurs more than once (RFC 9112 §6.3; CVE-2020-10108): the first was \"{HttpErrors.Printable(Encoding.Latin1.GetBytes(_contentLength))}\", another"
                        : $"Content-Length occurs twice with different values (RFC 9112 §6.3): the first was \"{HttpErrors.Printable(Encoding.Latin1.GetBytes(_contentLength))}\", another", valueBytes);
                }
                _contentLength = value;
                break;
            case SpecialField.TransferEncoding:
                _transferEncoding = true;
                if (!http11)
                {
                    throw HttpErrors.Create(kind, HttpProtocolError.UnsupportedTransferEncoding, 400,
                        $"Transfer-Encoding in an HTTP/1.0 {Noun(kind)}: its framing cannot be trusted (RFC 9112 §6.1)", valueBytes);
                }
                _chunked = ReadCodings(kind, valueBytes, _chunked);
                break;
            case SpecialField.Connection:
                ReadConnection(value);
                break;
            case SpecialField.Upgrade:
                Upgrade ??= value;
                break;
        }
        return field;
    }

    /// <summary>The body's framing from Content-Length and Transfer-Encoding alone (<see cref="BodyFraming.None"/>
    /// when neither is present): what a request has, and a response unless its status or request rule it out.</summary>
    /// <param name="kind">Whose head it is.</param>
    /// <param name="length">The Content-Length when the result is <see cref="BodyFraming.ContentLength"/>; 0 otherwise.</param>
    /// <exception cref="HttpProtocolException">Both fields are present, or Content-Length is not a number.</exception>
    public readonly BodyFraming Framing(HttpMessageKind kind, out long length)
    {
        length = 0;
        if (_transferEncoding)
        {
            if (_contentLength is not null)
            {
                throw HttpErrors.Create(kind, HttpProtocolError.ConflictingFraming, 400,
                    $"The {Noun(kind)} has both Transfer-Encoding and Content-Length (RFC 9112 §6.1; request smuggling, CVE-2020-10109): it is rejected rather than read as chunked; Content-Length", Encoding.Latin1.GetBytes(_contentLength));
            }
            return BodyFraming.Chunked;
        }
        if (_contentLength is null)
            return BodyFraming.None;
        length = ParseContentLength(kind, _contentLength);
        return BodyFraming.ContentLength;
    }

    private static string Noun(HttpMessageKind kind) => kind == HttpMessageKind.Request ? "request" : "response";

    /// <summary>
    /// Reads one Transfer-Encoding field's codings; returns whether chunked is now the last one. chunked twice or
    /// not last: 400; any other coding: 501 (RFC 9112 §6.1); in a response, 502.
    /// </summary>
    private static bool ReadCodings(HttpMessageKind kind, ReadOnlySpan<byte> value, bool chunkedSoFar)
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
                throw HttpErrors.Create(kind, HttpProtocolError.UnsupportedTransferEncoding, 400,
                    "a Transfer-Encoding element is not a transfer coding (a token, maybe with parameters; RFC 9112 §6.1)", value);
            }
            if (chunked)
            {
                throw HttpErrors.Create(kind, HttpProtocolError.UnsupportedTransferEncoding, 400,
                    "chunked is not the last transfer coding, or occurs twice (RFC 9112 §6.1)", value);
            }
            if (!Ascii.EqualsIgnoreCase(name, "chunked"u8))
            {
                throw HttpErrors.Create(kind, HttpProtocolError.UnsupportedTransferEncoding, 501,
                    "a transfer coding other than chunked, which RxNet does not implement (RFC 9112 §6.1)", value);
            }
            if (semicolon >= 0)
            {
                throw HttpErrors.Create(kind, HttpProtocolError.UnsupportedTransferEncoding, 400,
                    "chunked takes no parameters (RFC 9112 §7)", value);
            }
            chunked = true;
        }
        if (!any)
        {
            throw HttpErrors.Create(kind, HttpProtocolError.UnsupportedTransferEncoding, 400,
                "an empty Transfer-Encoding field (RFC 9112 §6.1)", value);
        }
        return chunked;
    }

    /// <summary>Content-Length = 1*DIGIT, no sign, space or list, and within a long (RFC 9112 §6.3; CVE-2022-24801).</summary>
    private static long ParseContentLength(HttpMessageKind kind, string value)
    {
        bool digits = value.Length > 0 && value.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;
        if (!digits || !long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long length))
        {
            throw HttpErrors.Create(kind, HttpProtocolError.InvalidContentLength, 400,
                digits
                    ? $"Content-Length is larger than {long.MaxValue} (RFC 9112 §6.3)"
                    : "Content-Length is not one decimal number of digits only (no sign, space, hex, list or empty value; RFC 9112 §6.3)",
                Encoding.Latin1.GetBytes(value));
        }
        return length;
    }

    private void ReadConnection(string value)
    {
        foreach (Range range in value.AsSpan().Split(','))
        {
            ReadOnlySpan<char> option = value.AsSpan()[range].Trim(" \t");
            if (option.Equals("close", StringComparison.OrdinalIgnoreCase))
                _close = true;
            else if (option.Equals("keep-alive", StringComparison.OrdinalIgnoreCase))
                _keepAlive = true;
            else if (option.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
                _connectionUpgrade = true;
        }
    }
}
