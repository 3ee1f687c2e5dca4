namespace RxNet;

/// <summary>Nobody accepted the connection at the address tried (Twisted's <c>ConnectionRefusedError</c>).</summary>
public sealed class ConnectionRefusedException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ConnectionRefusedException()
        : base("The connection was refused.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened, naming the address.</param>
    public ConnectionRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the transport's own error.</summary>
    /// <param name="message">What happened, naming the address.</param>
    /// <param name="innerException">The transport's own error.</param>
    public ConnectionRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
