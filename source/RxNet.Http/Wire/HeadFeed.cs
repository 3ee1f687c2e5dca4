using System.Buffers;

namespace RxNet.Http;

/// <summary>
/// Feeds a head parser the bytes a connection received: the first segment in place when the head lies within it,
/// otherwise a pooled copy of at most the largest head the limits allow; and lets the parser resume after "more,
/// please" when the caller passes the same bytes again with more, so a head dribbled in byte by byte costs
/// linear, not quadratic, time.
/// </summary>
/// <remarks>Errors and heads found in the first segment alone are those of the whole buffer (every check is made
/// at the byte that decides it), so the copy is only for a head that really spans segments. A mutable struct kept
/// in a field of its parser; not thread-safe.</remarks>
internal struct HeadFeed
{
    private bool _pending;
    private SequencePosition _pendingStart;
    private long _pendingLength;

    /// <summary>Parses one head at the start of <paramref name="buffer"/> with <paramref name="parser"/>.</summary>
    /// <param name="parser">The parser.</param>
    /// <param name="maxHeadBytes">The most bytes a head can take under the parser's limits.</param>
    /// <param name="buffer">The bytes received and not yet consumed.</param>
    /// <param name="head">The head, when the result is <see langword="true"/>.</param>
    /// <param name="consumed">Just after the head's final CRLF; <c>buffer.Start</c> when more bytes are needed.</param>
    /// <returns>Whether a whole head was parsed.</returns>
    /// <exception cref="HttpProtocolException">The bytes seen break a rule or a limit.</exception>
    public bool TryParse<TParser, THead>(TParser parser, int maxHeadBytes, in ReadOnlySequence<byte> buffer, out THead head, out SequencePosition consumed)
        where TParser : IHeadSpanParser<THead>
        where THead : struct
    {
        bool resume = _pending && buffer.Start.Equals(_pendingStart) && buffer.Length >= _pendingLength;
        _pending = false;
        head = default;
        int length = buffer.IsSingleSegment || !resume ? parser.Parse(buffer.FirstSpan, resume, out head) : 0;
        if (length == 0 && !buffer.IsSingleSegment)
        {
            int size = (int)Math.Min(buffer.Length, maxHeadBytes);
            byte[] copy = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                buffer.Slice(0, size).CopyTo(copy);
                length = parser.Parse(copy.AsSpan(0, size), resume, out head);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }
        if (length == 0)
        {
            _pending = parser.CanResume;
            _pendingStart = buffer.Start;
            _pendingLength = buffer.Length;
            consumed = buffer.Start;
            return false;
        }
        consumed = buffer.GetPosition(length);
        return true;
    }
}
