using System.Buffers;

namespace RxNet.Http;

/// <summary>The character classes of RFC 9110 that names and values are checked against.</summary>
internal static class HttpSyntax
{
    /// <summary>tchar as bytes, for vectorized scans of methods, field names and chunk-extension names.</summary>
    public static readonly SearchValues<byte> TokenBytes = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>VCHAR (0x21-0x7E): what a request target may contain.</summary>
    public static readonly SearchValues<byte> VisibleBytes = SearchValues.Create(Range(0x21, 0x7E));

    /// <summary>field-vchar, SP and HTAB as bytes, obs-text (0x80-0xFF) included: the bytes a field value may hold.</summary>
    public static readonly SearchValues<byte> FieldValueBytes = SearchValues.Create([(byte)'\t', .. Range(0x20, 0x7E), .. Range(0x80, 0xFF)]);

    /// <summary>HEXDIG of RFC 5234.</summary>
    public static readonly SearchValues<byte> HexDigitBytes = SearchValues.Create("0123456789ABCDEFabcdef"u8);

    /// <summary>SP and HTAB: optional whitespace (OWS, BWS).</summary>
    public static readonly SearchValues<byte> WhitespaceBytes = SearchValues.Create(" \t"u8);

    /// <summary>tchar of RFC 9110 §5.6.2: a token character.</summary>
    public static bool IsTokenChar(int c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    /// <summary>field-vchar, SP or HTAB (RFC 9110 §5.5): what a field value may contain. obs-text (0x80-0xFF) is allowed.</summary>
    public static bool IsFieldValueChar(int c) => c == '\t' || (c >= 0x20 && c != 0x7F);

    public static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
            return false;
        foreach (char c in text)
        {
            if (!IsTokenChar(c))
                return false;
        }
        return true;
    }

    public static void CheckFieldName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsToken(name))
            throw new ArgumentException($"'{name}' is not a valid header name: a name is one or more token characters (letters, digits and !#$%&'*+-.^_`|~).", nameof(name));
    }

    /// <summary>Checks a value a user sets and returns it without surrounding whitespace.</summary>
    public static string CheckFieldValue(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (char c in value)
        {
            if (!IsFieldValueChar(c) || c > 0xFF)
                throw new ArgumentException($"The value of header '{name}' contains the character U+{(int)c:X4}, which a header value may not contain (CR, LF, NUL, other controls, or a character outside Latin-1): it would corrupt or split the message.", nameof(value));
        }
        return value.Length > 0 && (value[0] is ' ' or '\t' || value[^1] is ' ' or '\t') ? value.Trim(' ', '\t') : value; // Trim(params char[]) allocates its array
    }

    private static byte[] Range(int first, int last)
    {
        var bytes = new byte[last - first + 1];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)(first + i);
        return bytes;
    }
}
