using System.Globalization;
using System.Text;

namespace RxNet.Testing.Internal;

/// <summary>Bytes as printable, quoted text for traces and a scripted peer's failure messages: printable
/// ASCII as is, <c>\r \n \t \\ \"</c> escaped, anything else as <c>\xNN</c>; excerpts around a
/// difference and the column of a caret under it.</summary>
internal static class BytesText
{
    /// <summary>How many bytes a quoted excerpt shows at most.</summary>
    public const int MaxShown = 120;

    /// <summary>Bytes before a difference that an excerpt keeps when it must start later.</summary>
    private const int Context = 40;

    /// <summary>The value quoted, cut after <paramref name="max"/> bytes.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes, int max = MaxShown) => Excerpt(bytes, 0, max);

    /// <summary>Where an excerpt that must show <paramref name="offset"/> starts.</summary>
    public static int ExcerptStart(int offset) => offset > MaxShown - Context ? offset - Context : 0;

    /// <summary>The bytes from <paramref name="from"/>, quoted, with <c>…</c> where something is left out.</summary>
    public static string Excerpt(ReadOnlySpan<byte> bytes, int from, int max = MaxShown)
    {
        from = Math.Min(from, bytes.Length);
        int shown = Math.Min(bytes.Length - from, max);
        var text = new StringBuilder();
        if (from > 0)
            text.Append('…');
        text.Append('"');
        foreach (byte b in bytes.Slice(from, shown))
            text.Append(Escape(b));
        text.Append('"');
        int rest = bytes.Length - from - shown;
        if (rest > 0)
            text.Append(CultureInfo.InvariantCulture, $"… ({rest} more bytes)");
        return text.ToString();
    }

    /// <summary>The width of the excerpt's text up to (not including) <paramref name="offset"/>: where a caret goes.</summary>
    public static int Column(ReadOnlySpan<byte> bytes, int from, int offset)
    {
        int column = (from > 0 ? 1 : 0) + 1;
        for (int i = from; i < offset && i < bytes.Length; i++)
            column += Escape(bytes[i]).Length;
        return column;
    }

    /// <summary>One byte as it shows inside a quoted excerpt.</summary>
    public static string Escape(byte b) => b switch
    {
        (byte)'\r' => "\\r",
        (byte)'\n' => "\\n",
        (byte)'\t' => "\\t",
        (byte)'\\' => "\\\\",
        (byte)'"' => "\\\"",
        >= 0x20 and < 0x7F => ((char)b).ToString(),
        _ => string.Create(CultureInfo.InvariantCulture, $"\\x{b:x2}"),
    };
}
