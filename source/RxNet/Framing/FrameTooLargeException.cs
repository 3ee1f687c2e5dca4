using System.Globalization;

namespace RxNet;

/// <summary>A frame is larger than the codec's limit.</summary>
public sealed class FrameTooLargeException : FramingException
{
    /// <summary>Creates the exception.</summary>
    public FrameTooLargeException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong.</param>
    public FrameTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public FrameTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception naming the limit and what was seen.</summary>
    /// <param name="what">What is too large, for example "a line".</param>
    /// <param name="limit">The codec's maximum, in bytes.</param>
    /// <param name="seen">How many bytes were seen (at least; a frame still arriving may be longer).</param>
    public FrameTooLargeException(string what, long limit, long seen)
        : base(string.Create(CultureInfo.InvariantCulture, $"{what} of {seen} bytes or more is above the limit of {limit} bytes."))
    {
        Limit = limit;
        Seen = seen;
    }

    /// <summary>The codec's maximum, in bytes.</summary>
    public long Limit { get; }

    /// <summary>How many bytes of the frame were seen when it was refused.</summary>
    public long Seen { get; }
}
