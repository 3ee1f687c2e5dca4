namespace RxNet.Http;

/// <summary>
/// A peer broke HTTP: a malformed or oversized message, ambiguous framing, or a limit or timeout crossed. Says
/// which rule (<see cref="Error"/>) and the status a server answers it with (<see cref="StatusCode"/>).
/// </summary>
/// <remarks>A server answers the request with <see cref="StatusCode"/> when no response has started, logs the
/// message, and closes the connection whenever the framing of what follows can no longer be trusted. The
/// message names the rule, the limit and what was seen.</remarks>
public sealed class HttpProtocolException : FramingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">Which rule was broken.</param>
    /// <param name="statusCode">The status a server answers with, such as 400, 413 or 431.</param>
    /// <param name="message">What was wrong: the rule, the limit, what was seen.</param>
    public HttpProtocolException(HttpProtocolError error, int statusCode, string message)
        : base(message)
    {
        Error = error;
        StatusCode = statusCode;
    }

    /// <summary>Which rule was broken.</summary>
    public HttpProtocolError Error { get; }

    /// <summary>The status a server answers the request with, when it still can.</summary>
    public int StatusCode { get; }
}
