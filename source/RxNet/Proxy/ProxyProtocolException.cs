namespace RxNet;

/// <summary>
/// A connection did not start with a valid PROXY protocol header: wrong signature, a version 1 line longer than
/// 107 bytes or without its CRLF, a bad address or port, a version 2 length too short for its addresses, a broken
/// TLV or checksum, or no complete header within the header timeout.
/// </summary>
/// <remarks>The message starts with <c>Bad PROXY protocol header:</c> and says what was seen. The server operators
/// abort that connection, log the message and go on serving the others.</remarks>
public sealed class ProxyProtocolException : FramingException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ProxyProtocolException()
        : base("Bad PROXY protocol header.")
    {
    }

    /// <summary>Creates the exception with a message that says what was wrong.</summary>
    /// <param name="message">What was wrong.</param>
    public ProxyProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause, for example the <see cref="TimeoutException"/> of the header timeout.</param>
    public ProxyProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An exception whose message is <c>Bad PROXY protocol header: </c> and <paramref name="problem"/>.</summary>
    internal static ProxyProtocolException Bad(string problem) => new($"Bad PROXY protocol header: {problem}.");
}
