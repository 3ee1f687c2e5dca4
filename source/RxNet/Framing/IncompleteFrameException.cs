using System.Globalization;

namespace RxNet;

/// <summary>The stream ended inside a frame: bytes were left that do not make a whole one.</summary>
public sealed class IncompleteFrameException : FramingException
{
    /// <summary>Creates the exception.</summary>
    public IncompleteFrameException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong.</param>
    public IncompleteFrameException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public IncompleteFrameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception naming how many bytes were left.</summary>
    /// <param name="what">The frame kind, for example "a line".</param>
    /// <param name="leftover">The bytes left at the end of the stream.</param>
    public IncompleteFrameException(string what, long leftover)
        : base(string.Create(CultureInfo.InvariantCulture, $"The stream ended inside {what}: {leftover} bytes left over."))
    {
        Leftover = leftover;
    }

    /// <summary>The bytes left at the end of the stream.</summary>
    public long Leftover { get; }
}
