using System.Text;

namespace RxNet.Http.Specs.Server;

/// <summary>A client's view of one response with a <see cref="PatternedBody"/>, checked as it arrives and never kept, so a
/// body of a gibibyte costs nothing: the head as text, then a count of the body bytes that matched the pattern.</summary>
internal sealed class StreamedResponse
{
    private const int MaxHead = 16 * 1024;

    private readonly List<byte> _head = [];

    /// <summary>The response head up to its empty line, once it has all arrived.</summary>
    public string? Head { get; private set; }

    /// <summary>The body bytes received in order and as the pattern says.</summary>
    public long BodyBytes { get; private set; }

    /// <summary>Where the body first differed from the pattern, if it did.</summary>
    public long? MismatchAt { get; private set; }

    /// <summary>Whether the connection's input ended.</summary>
    public bool Ended { get; private set; }

    public void Receive(ReadOnlyMemory<byte> chunk)
    {
        var bytes = chunk.Span;
        if (Head is null)
        {
            int taken = 0;
            while (taken < bytes.Length && Head is null)
            {
                _head.Add(bytes[taken++]);
                if (_head.Count >= 4 && _head[^1] == '\n' && _head[^2] == '\r' && _head[^3] == '\n' && _head[^4] == '\r')
                    Head = Encoding.Latin1.GetString([.. _head]);
                else if (_head.Count > MaxHead)
                    throw new InvalidOperationException("The response head never ended.");
            }
            bytes = bytes[taken..];
        }
        if (bytes.IsEmpty || MismatchAt is not null)
            return;
        if (!PatternedBody.Matches(bytes, BodyBytes))
        {
            MismatchAt = BodyBytes;
            return;
        }
        BodyBytes += bytes.Length;
    }

    public void End() => Ended = true;
}
