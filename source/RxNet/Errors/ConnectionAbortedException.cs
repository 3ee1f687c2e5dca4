namespace RxNet;

/// <summary>This side aborted the connection (<c>Dispose</c> or <c>Output.OnError</c>) while it was in use.</summary>
public sealed class ConnectionAbortedException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ConnectionAbortedException()
        : base("The connection was aborted by this side.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public ConnectionAbortedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused the abort.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The error passed to <c>Output.OnError</c>, if any.</param>
    public ConnectionAbortedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
