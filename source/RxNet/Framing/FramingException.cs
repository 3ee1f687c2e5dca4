namespace RxNet;

/// <summary>The bytes of a stream break its framing: the peer sent something the codec cannot accept.</summary>
/// <remarks>Operators fail their stream with it; on a connection, the protocol should close that
/// connection (and log the message), while the server goes on serving everyone else.</remarks>
public class FramingException : IOException
{
    /// <summary>Creates the exception with a message that says what was wrong.</summary>
    public FramingException()
    {
    }

    /// <summary>Creates the exception with a message that says what was wrong.</summary>
    /// <param name="message">What was wrong.</param>
    public FramingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public FramingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
