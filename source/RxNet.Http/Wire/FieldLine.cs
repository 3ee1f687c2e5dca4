namespace RxNet.Http;

/// <summary>What <see cref="FieldLine.Scan"/> found at the start of its input.</summary>
internal enum FieldLineKind
{
    /// <summary>The bytes end before the line does: more are needed (or a limit is reached, the caller knows which).</summary>
    Incomplete,

    /// <summary>A whole field line.</summary>
    Field,

    /// <summary>The empty line (CRLF) that ends a header or trailer section.</summary>
    End,
}

/// <summary>
/// One field line of a header or trailer section (RFC 9112 §5): <c>field-name ":" OWS field-value OWS CRLF</c>,
/// as offsets into the scanned bytes.
/// </summary>
/// <remarks>
/// Scanning is left to right and throws at the first byte that breaks a rule, so any prefix of the same bytes
/// either throws the same error or asks for more: the result never depends on how the input was cut.
/// </remarks>
internal readonly record struct FieldLine(int NameLength, int ValueStart, int ValueEnd, int Length)
{
    /// <summary>The field's name, in the section the line was scanned from.</summary>
    /// <param name="section">The scanned bytes.</param>
    /// <param name="start">Where this line starts in <paramref name="section"/>.</param>
    public ReadOnlySpan<byte> Name(ReadOnlySpan<byte> section, int start) => section.Slice(start, NameLength);

    /// <summary>The field's value without surrounding whitespace, in the section the line was scanned from.</summary>
    /// <param name="section">The scanned bytes.</param>
    /// <param name="start">Where this line starts in <paramref name="section"/>.</param>
    public ReadOnlySpan<byte> Value(ReadOnlySpan<byte> section, int start) => section[(start + ValueStart)..(start + ValueEnd)];

    /// <summary>Scans the line at the start of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The input from the start of a line, already cut at the section's size limit.</param>
    /// <param name="kind">Whose section it is (a request's errors are 400, a response's 502).</param>
    /// <param name="line">The field line, when the result is <see cref="FieldLineKind.Field"/>.</param>
    /// <returns>Whether a field line, the end of the section, or too few bytes were found.</returns>
    /// <exception cref="HttpProtocolException">The bytes break the field-line rules (<see cref="HttpProtocolError.InvalidHeader"/>).</exception>
    public static FieldLineKind Scan(ReadOnlySpan<byte> bytes, HttpMessageKind kind, out FieldLine line)
    {
        line = default;
        if (bytes.IsEmpty)
            return FieldLineKind.Incomplete;
        switch (bytes[0])
        {
            case (byte)'\r':
                if (bytes.Length < 2)
                    return FieldLineKind.Incomplete;
                if (bytes[1] != '\n')
                    throw Invalid(kind, "a bare CR (not followed by LF) where a field line or the end of the section was expected", bytes);
                line = new FieldLine(0, 0, 0, 2);
                return FieldLineKind.End;
            case (byte)'\n':
                throw Invalid(kind, "a bare LF ends a line (only CRLF may)", bytes);
            case (byte)' ' or (byte)'\t':
                throw Invalid(kind, "a line starts with whitespace (obs-fold, or whitespace before a field name), which RFC 9112 §5.2 lets a server reject", bytes);
        }

        int nameLength = bytes.IndexOfAnyExcept(HttpSyntax.TokenBytes);
        if (nameLength < 0)
            return FieldLineKind.Incomplete;
        byte stop = bytes[nameLength];
        if (stop != ':')
        {
            throw stop is (byte)' ' or (byte)'\t'
                ? Invalid(kind, "whitespace between a field name and its colon (RFC 9112 §5.1 requires a server to reject it)", bytes[..(nameLength + 1)])
                : Invalid(kind, $"a field name holds {HttpErrors.Describe(stop)}, which is not a token character", bytes[..(nameLength + 1)]);
        }
        if (nameLength == 0)
            throw Invalid(kind, "a field line has an empty name", bytes[..1]);

        int afterColon = nameLength + 1;
        int skipped = bytes[afterColon..].IndexOfAnyExcept(HttpSyntax.WhitespaceBytes);
        if (skipped < 0)
            return FieldLineKind.Incomplete;
        int valueStart = afterColon + skipped;
        int valueLength = bytes[valueStart..].IndexOfAnyExcept(HttpSyntax.FieldValueBytes);
        if (valueLength < 0)
            return FieldLineKind.Incomplete;
        int end = valueStart + valueLength;
        byte b = bytes[end];
        if (b == '\r')
        {
            if (end + 1 == bytes.Length)
                return FieldLineKind.Incomplete;
            if (bytes[end + 1] != '\n')
                throw Invalid(kind, "a bare CR (not followed by LF) in a field value", bytes[..(end + 2)]);
        }
        else
        {
            throw Invalid(kind, b switch
            {
                (byte)'\n' => "a bare LF in a field value or ending its line (only CRLF ends a line)",
                0 => "a NUL in a field value",
                _ => $"a field value holds the control character {HttpErrors.Describe(b)}",
            }, bytes[..(end + 1)]);
        }

        int valueEnd = end;
        while (valueEnd > valueStart && bytes[valueEnd - 1] is (byte)' ' or (byte)'\t')
            valueEnd--;
        line = new FieldLine(nameLength, valueStart, valueEnd, end + 2);
        return FieldLineKind.Field;
    }

    /// <summary>
    /// Scans a header or trailer section: field lines, then the empty line, bounded by the total size and the
    /// field count (<see cref="HttpProtocolError.HeadersTooLarge"/>, 431 in a request, at the byte that crosses either).
    /// </summary>
    /// <param name="bytes">The input from the section's first byte.</param>
    /// <param name="limits">The limits.</param>
    /// <param name="kind">Whose section it is: the status of errors and the names of limits in messages.</param>
    /// <param name="section">"header" or "trailer", for messages.</param>
    /// <param name="lines">Receives each field line and its offset from the section's start; grown as needed.</param>
    /// <param name="scanned">Where to start (0, or where the previous call on the same bytes stopped); on return, the
    /// end of the last whole field line.</param>
    /// <param name="count">How many fields <paramref name="lines"/> already holds; on return, how many it holds.</param>
    /// <returns>The section's length through its final CRLF, or -1 when more bytes are needed.</returns>
    /// <exception cref="HttpProtocolException">A field line breaks the rules, or the section a limit.</exception>
    public static int ScanSection(ReadOnlySpan<byte> bytes, in HttpMessageLimits limits, HttpMessageKind kind, string section, ref (int Start, FieldLine Line)[] lines, ref int scanned, ref int count)
    {
        int maxTotal = limits.MaxHeadersTotalSize;
        int maxCount = limits.MaxHeaderCount;
        bool atLimit = bytes.Length >= maxTotal;
        bytes = bytes[..Math.Min(bytes.Length, maxTotal)];
        int p = scanned;
        while (true)
        {
            if (count == maxCount && p < bytes.Length && bytes[p] != '\r')
            {
                throw HttpErrors.Create(kind, HttpProtocolError.HeadersTooLarge, 431,
                    $"The {section} section has more than {HttpMessageLimits.HeaderCountName(kind)} ({maxCount}) fields (RFC 6585 §5); field {maxCount + 1} starts", bytes[p..]);
            }
            switch (Scan(bytes[p..], kind, out FieldLine line))
            {
                case FieldLineKind.Incomplete:
                    if (atLimit)
                    {
                        throw HttpErrors.Create(kind, HttpProtocolError.HeadersTooLarge, 431,
                            $"The {section} section is larger than {HttpMessageLimits.HeadersTotalName(kind)} ({maxTotal} bytes, every CRLF included; RFC 6585 §5): its end is not within its first {maxTotal} bytes; the last line starts", bytes[p..]);
                    }
                    scanned = p;
                    return -1;
                case FieldLineKind.End:
                    scanned = p;
                    return p + 2;
                default:
                    if (count == lines.Length)
                        Array.Resize(ref lines, Math.Max(4, count * 2));
                    lines[count++] = (p, line);
                    p += line.Length;
                    break;
            }
        }
    }

    private static HttpProtocolException Invalid(HttpMessageKind kind, string what, ReadOnlySpan<byte> seen) =>
        HttpErrors.Create(kind, HttpProtocolError.InvalidHeader, 400, $"Invalid field line (RFC 9112 §5): {what}", seen);
}
