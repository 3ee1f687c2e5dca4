namespace RxNet.Http;

/// <summary>
/// Scans what follows a chunk size: <c>*( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] ) CRLF</c>
/// (RFC 9112 §7.1.1), byte by byte, throwing at the first byte that breaks it.
/// </summary>
/// <remarks>A bare LF is rejected wherever it appears, inside a quoted string too (CVE-2025-55315,
/// CVE-2025-22871); whitespace is allowed only where the grammar has BWS, so <c>5 CRLF</c> is rejected
/// (CVE-2022-24801). Extensions are checked, then ignored: no server behaviour depends on them.</remarks>
internal static class ChunkExtensions
{
    /// <summary>Returns the length of the extensions and the CRLF, or 0 when more bytes are needed.</summary>
    /// <param name="line">The bytes right after the chunk size's last hex digit.</param>
    /// <param name="kind">Whose body it is (a request's errors are 400, a response's 502).</param>
    /// <returns>The length through the LF, or 0.</returns>
    /// <exception cref="HttpProtocolException">The bytes break the grammar (<see cref="HttpProtocolError.InvalidChunk"/>).</exception>
    public static int Scan(ReadOnlySpan<byte> line, HttpMessageKind kind)
    {
        var state = State.AfterSize;
        bool whitespace = false;
        for (int i = 0; i < line.Length; i++)
        {
            byte b = line[i];
            if (state == State.Cr)
            {
                if (b != '\n')
                    throw HttpErrors.InvalidChunk(kind, "a bare CR (not followed by LF) in a chunk's size line", line[..(i + 1)]);
                return i + 1;
            }
            if (b == '\n')
                throw HttpErrors.InvalidChunk(kind, "a bare LF in a chunk's size line or extension (only CRLF ends it; CVE-2025-55315, CVE-2025-22871)", line[..(i + 1)]);
            bool space = b is (byte)' ' or (byte)'\t';
            bool token = HttpSyntax.IsTokenChar(b);
            switch (state)
            {
                case State.AfterSize or State.AfterName or State.AfterValue:
                    if (space)
                    {
                        whitespace = true;
                    }
                    else if (b == ';')
                    {
                        state = State.BeforeName;
                    }
                    else if (b == '=' && state == State.AfterName)
                    {
                        state = State.BeforeValue;
                    }
                    else if (b == '\r' && !whitespace)
                    {
                        state = State.Cr;
                    }
                    else
                    {
                        throw HttpErrors.InvalidChunk(kind, b == '\r'
                            ? "whitespace before the CRLF of a chunk's size line (BWS is allowed only before ';' or '='; CVE-2022-24801)"
                            : $"{HttpErrors.Describe(b)} where ';' or CRLF was expected after a chunk size or extension", line[..(i + 1)]);
                    }
                    break;
                case State.BeforeName:
                    if (token)
                        state = State.InName;
                    else if (!space)
                        throw HttpErrors.InvalidChunk(kind, $"{HttpErrors.Describe(b)} where a chunk extension's name (a token) was expected", line[..(i + 1)]);
                    break;
                case State.InName:
                case State.InToken:
                    if (token)
                        break;
                    whitespace = space;
                    state = b switch
                    {
                        (byte)' ' or (byte)'\t' => state == State.InName ? State.AfterName : State.AfterValue,
                        (byte)';' => State.BeforeName,
                        (byte)'=' when state == State.InName => State.BeforeValue,
                        (byte)'\r' => State.Cr,
                        _ => throw HttpErrors.InvalidChunk(kind, $"{HttpErrors.Describe(b)} in a chunk extension's token", line[..(i + 1)]),
                    };
                    break;
                case State.BeforeValue:
                    if (token)
                        state = State.InToken;
                    else if (b == '"')
                        state = State.InQuoted;
                    else if (!space)
                        throw HttpErrors.InvalidChunk(kind, $"{HttpErrors.Describe(b)} where a chunk extension's value (a token or a quoted string) was expected", line[..(i + 1)]);
                    break;
                case State.InQuoted:
                    if (b == '"')
                    {
                        state = State.AfterValue;
                        whitespace = false;
                    }
                    else if (b == '\\')
                    {
                        state = State.Escape;
                    }
                    else if (!HttpSyntax.IsFieldValueChar(b))
                    {
                        throw HttpErrors.InvalidChunk(kind, $"{HttpErrors.Describe(b)} in a chunk extension's quoted string", line[..(i + 1)]);
                    }
                    break;
                case State.Escape:
                    if (!HttpSyntax.IsFieldValueChar(b))
                        throw HttpErrors.InvalidChunk(kind, $"{HttpErrors.Describe(b)} escaped in a chunk extension's quoted string", line[..(i + 1)]);
                    state = State.InQuoted;
                    break;
            }
        }
        return 0;
    }

    private enum State
    {
        AfterSize,
        BeforeName,
        InName,
        AfterName,
        BeforeValue,
        InToken,
        InQuoted,
        Escape,
        AfterValue,
        Cr,
    }
}
