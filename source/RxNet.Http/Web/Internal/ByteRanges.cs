using System.Globalization;

namespace RxNet.Http.Web.Internal;

/// <summary>
/// The <c>Range</c> field of a GET (RFC 9110 §14.1.2), read as Twisted's <c>static.File</c> reads it: a field that
/// is not <c>bytes=</c> followed by valid ranges is ignored (the whole file is sent); ranges are kept in order, not
/// merged; those that miss the file are dropped, and when none is left the request is unsatisfiable (416).
/// </summary>
internal static class ByteRanges
{
    /// <summary>Parses <paramref name="field"/> into (first, last-or-null) pairs, a null first meaning a suffix of
    /// <c>last</c> bytes; null when the field is malformed.</summary>
    public static List<(long? First, long? Last)>? Parse(string field)
    {
        int equals = field.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0 || !field[..equals].Trim().Equals("bytes", StringComparison.OrdinalIgnoreCase))
            return null;
        var ranges = new List<(long?, long?)>();
        foreach (string range in field[(equals + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = range.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0 || !Number(range[..dash], out long? first) || !Number(range[(dash + 1)..], out long? last))
                return null;
            if ((first is null && last is null) || first > last)
                return null;
            ranges.Add((first, last));
        }
        return ranges.Count == 0 ? null : ranges;
    }

    /// <summary>The (offset, length) a range selects in a file of <paramref name="size"/> bytes; null when it selects nothing.</summary>
    public static (long Offset, long Length)? Resolve((long? First, long? Last) range, long size)
    {
        long start, end; // end exclusive
        if (range.First is null)
        {
            start = Math.Max(0, size - range.Last!.Value);
            end = size;
        }
        else
        {
            start = range.First.Value;
            end = range.Last is { } last ? Math.Min(last + 1, size) : size;
        }
        return start >= size || end <= start ? null : (start, end - start);
    }

    private static bool Number(string text, out long? value)
    {
        value = null;
        if (text.Length == 0)
            return true;
        if (!text.All(char.IsAsciiDigit) || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
            return false;
        value = parsed;
        return true;
    }
}
