namespace RxNet.Http.Server.Compression;

/// <summary>
/// Reads a request's <c>Accept-Encoding</c> fields (RFC 9110 §12.5.3) and picks the coding to apply.
/// </summary>
/// <remarks>
/// <para><b>Grammar.</b> <c>#( codings [ OWS ";" OWS "q=" qvalue ] )</c> over every <c>Accept-Encoding</c> field, codings
/// compared without regard to case. A qvalue is <c>0</c> to <c>1</c> with at most three decimals. An element that does
/// not parse is ignored (never taken as a yes); when a coding is listed twice, its first element counts.</para>
/// <para><b>Choice.</b> The weight of <c>br</c> and of <c>gzip</c> (<c>x-gzip</c> is the same, RFC 9110 §8.4.1.3) is its
/// own q when listed, else that of <c>*</c> when listed, else 0. The higher non-zero weight wins, <c>br</c> at a tie (it
/// is smaller at the same speed). No field, an empty field, only <c>identity</c>, or both weights 0: no coding.</para>
/// </remarks>
internal static class AcceptEncoding
{
    private const int Unset = -1;

    /// <summary>The coding to apply for a request with these header fields.</summary>
    /// <param name="requestHeaders">The request's fields.</param>
    /// <returns><see cref="ContentCoding.Brotli"/>, <see cref="ContentCoding.Gzip"/> or <see cref="ContentCoding.Identity"/>.</returns>
    public static ContentCoding Choose(HttpHeaders requestHeaders)
    {
        int brotli = Unset, gzip = Unset, any = Unset; // weights in thousandths
        foreach (var (name, value) in requestHeaders)
        {
            if (!string.Equals(name, "Accept-Encoding", StringComparison.OrdinalIgnoreCase))
                continue;
            foreach (var range in value.AsSpan().Split(','))
            {
                if (!TryParse(value.AsSpan()[range], out var coding, out int weight))
                    continue;
                if (coding.Equals("br", StringComparison.OrdinalIgnoreCase))
                    First(ref brotli, weight);
                else if (coding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || coding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))
                    First(ref gzip, weight);
                else if (coding is "*")
                    First(ref any, weight);
            }
        }
        int br = Weight(brotli, any), gz = Weight(gzip, any);
        if (br == 0 && gz == 0)
            return ContentCoding.Identity;
        return br >= gz ? ContentCoding.Brotli : ContentCoding.Gzip;
    }

    private static int Weight(int own, int any) => own != Unset ? own : Math.Max(any, 0);

    private static void First(ref int weight, int value)
    {
        if (weight == Unset)
            weight = value;
    }

    /// <summary>One list element: a coding and its weight in thousandths (1000 without a q).</summary>
    private static bool TryParse(ReadOnlySpan<char> element, out ReadOnlySpan<char> coding, out int weight)
    {
        weight = 1000;
        int semicolon = element.IndexOf(';');
        coding = (semicolon < 0 ? element : element[..semicolon]).Trim(" \t");
        if (!HttpSyntax.IsToken(coding))
            return false;
        if (semicolon < 0)
            return true;
        var parameter = element[(semicolon + 1)..].Trim(" \t");
        if (parameter.Length < 2 || (parameter[0] | 0x20) != 'q' || parameter[1] != '=')
            return false;
        return TryParseQValue(parameter[2..], out weight);
    }

    /// <summary>qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths.</summary>
    private static bool TryParseQValue(ReadOnlySpan<char> text, out int thousandths)
    {
        thousandths = 0;
        if (text.IsEmpty || text[0] is not ('0' or '1'))
            return false;
        int whole = text[0] - '0';
        var rest = text[1..];
        if (!rest.IsEmpty)
        {
            if (rest[0] != '.' || rest.Length > 4)
                return false;
            int scale = 100, fraction = 0;
            foreach (char c in rest[1..])
            {
                if (c is < '0' or > '9')
                    return false;
                fraction += (c - '0') * scale;
                scale /= 10;
            }
            if (whole == 1 && fraction != 0)
                return false;
            thousandths = fraction;
        }
        thousandths += whole * 1000;
        return true;
    }
}
