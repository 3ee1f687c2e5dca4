using System.Buffers;

namespace RxNet.Http;

/// <summary>
/// The header section of the head a parser is reading: where it starts, the field lines scanned so far (so a head
/// that arrives in pieces is scanned once, not again from its start), and the strings of its fields.
/// </summary>
/// <remarks>Offsets are into the span the head starts at, which the caller passes again, longer, on every call.
/// One per parser (per connection); not thread-safe. The field-line table is rented from a pool only while a head is
/// being read (<see cref="Begin"/> to <see cref="Release"/>): an idle keep-alive connection holds none.</remarks>
internal sealed class HeaderSection
{
    private readonly HttpMessageLimits _limits;
    private readonly HttpMessageKind _kind;
    private readonly FieldStrings _strings = new();
    private (int Start, FieldLine Line)[]? _lines;
    private int _scanned;

    /// <summary>Creates the section state of one parser.</summary>
    /// <param name="limits">The section's size and field-count limits.</param>
    /// <param name="kind">Whose heads these are (the status of errors, the names of limits in messages).</param>
    public HeaderSection(HttpMessageLimits limits, HttpMessageKind kind)
    {
        _limits = limits;
        _kind = kind;
    }

    /// <summary>Where the section starts in the head: just after the start line; -1 before a start line is whole.</summary>
    public int Start { get; private set; } = -1;

    /// <summary>How many whole field lines have been scanned.</summary>
    public int Count { get; private set; }

    /// <summary>Forgets the previous head: the next one is scanned from its start line.</summary>
    public void Reset() => Start = -1;

    /// <summary>Begins the section of a head whose start line ends at <paramref name="start"/>.</summary>
    /// <param name="start">The offset of the section's first byte in the head.</param>
    public void Begin(int start)
    {
        _lines ??= ArrayPool<(int, FieldLine)>.Shared.Rent(16); // kept from a head that failed: reused
        Start = start;
        _scanned = 0;
        Count = 0;
    }

    /// <summary>Scans on from the last whole field line to the section's end.</summary>
    /// <param name="head">The head's bytes from its first byte.</param>
    /// <returns>The head's length through the section's final CRLF, or 0 when more bytes are needed.</returns>
    /// <exception cref="HttpProtocolException">A field line breaks the rules, or the section a limit.</exception>
    public int Scan(ReadOnlySpan<byte> head)
    {
        int scanned = _scanned, count = Count;
        int length = FieldLine.ScanSection(head[Start..], _limits, _kind, "header", ref _lines!, ref scanned, ref count);
        _scanned = scanned;
        Count = count;
        return length < 0 ? 0 : Start + length;
    }

    /// <summary>Adds field <paramref name="index"/> to <paramref name="headers"/> and returns its value's string.</summary>
    /// <param name="headers">The head's fields so far.</param>
    /// <param name="head">The head's bytes from its first byte.</param>
    /// <param name="index">The field's place in the section, from 0 to <see cref="Count"/> - 1.</param>
    /// <param name="name">The name as received.</param>
    /// <param name="value">The value as received, without surrounding whitespace.</param>
    /// <returns>The value's string.</returns>
    public string Add(HttpHeaders headers, ReadOnlySpan<byte> head, int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var (start, line) = _lines![index];
        ReadOnlySpan<byte> section = head[Start..];
        name = line.Name(section, start);
        value = line.Value(section, start);
        return _strings.Add(headers, name, value);
    }

    /// <summary>The head has been built from the section: its field-line table goes back to the pool (a table grown
    /// past 16 lines by doubling has a pool's size too).</summary>
    public void Release()
    {
        if (_lines is null)
            return;
        ArrayPool<(int, FieldLine)>.Shared.Return(_lines);
        _lines = null;
    }
}
