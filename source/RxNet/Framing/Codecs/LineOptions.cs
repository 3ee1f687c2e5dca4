namespace RxNet;

/// <summary>How lines are cut: delimiter, maximum length, and what happens at the limit and at the end.</summary>
public sealed record LineOptions
{
    /// <summary>LF-delimited lines (a CR before the LF is removed too, so CRLF works), at most 16384
    /// bytes (Twisted's <c>LineReceiver.MAX_LENGTH</c>), an error above that, and an error for an
    /// unterminated last line.</summary>
    public static LineOptions Default { get; } = new();

    /// <summary>CRLF-delimited lines, as Twisted's <c>LineReceiver</c> and most internet protocols cut them.</summary>
    public static LineOptions CrLf { get; } = new() { Delimiter = "\r\n"u8.ToArray(), StripCarriageReturn = false };

    /// <summary>The bytes that end a line; <c>\n</c> by default. Any non-empty sequence works.</summary>
    public ReadOnlyMemory<byte> Delimiter { get; init; } = "\n"u8.ToArray();

    /// <summary>With a <c>\n</c> delimiter, also removes a <c>\r</c> just before it, so LF and CRLF lines
    /// both work. On by default.</summary>
    public bool StripCarriageReturn { get; init; } = true;

    /// <summary>The longest line accepted, in bytes, without its delimiter. 16384 by default.</summary>
    public int MaxLength { get; init; } = 16384;

    /// <summary>What a line above <see cref="MaxLength"/> does: fail the stream with
    /// <see cref="FrameTooLargeException"/> (the default), or be dropped while the stream goes on.</summary>
    public LineTooLong TooLong { get; init; } = LineTooLong.Fail;

    /// <summary>Whether bytes after the last delimiter at the end of the stream are a last line (as
    /// tokio's codec has it) instead of an <see cref="IncompleteFrameException"/>. Off by default.</summary>
    public bool AcceptUnterminatedLastLine { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">The delimiter is empty or the maximum is below 1.</exception>
    public void Validate()
    {
        if (Delimiter.IsEmpty)
            throw new ArgumentException("A line delimiter needs at least one byte.", nameof(Delimiter));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLength, 1);
    }
}

/// <summary>What a line above the maximum does.</summary>
public enum LineTooLong
{
    /// <summary>The stream fails with <see cref="FrameTooLargeException"/>.</summary>
    Fail,

    /// <summary>The line is dropped, up to and with its delimiter, and the next one is read.</summary>
    Discard,
}
