namespace RxNet.Http;

/// <summary>A head parser over one span of bytes, as <see cref="HeadFeed"/> drives it.</summary>
/// <typeparam name="THead">What a parsed head is.</typeparam>
internal interface IHeadSpanParser<THead>
    where THead : struct
{
    /// <summary>After a call that asked for more bytes: whether the next call may resume (its start line is whole).</summary>
    bool CanResume { get; }

    /// <summary>Parses a head at the start of <paramref name="s"/>.</summary>
    /// <param name="s">The bytes from the head's first byte.</param>
    /// <param name="resume"><paramref name="s"/> starts where the previous call's did and holds at least as many
    /// bytes: go on from where that call stopped.</param>
    /// <param name="head">The head, when the result is not 0.</param>
    /// <returns>The head's length through its final CRLF, or 0 when more bytes are needed.</returns>
    /// <exception cref="HttpProtocolException">The bytes break a rule or a limit.</exception>
    int Parse(ReadOnlySpan<byte> s, bool resume, out THead head);
}
