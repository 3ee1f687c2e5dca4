namespace RxNet;

/// <summary>
/// A source that cannot pause pushed more bytes than its adapter may hold while its consumer had asked it to wait
/// (see <see cref="ConnectionExtensions.ToConnectionInput(IObservable{ReadOnlyMemory{byte}}, int)"/>), or more frames
/// than <c>WriteTo</c> may hold while its output was not writable (<see cref="OverflowPolicy.Fail"/>).
/// </summary>
/// <remarks>The adapter drops what it held and ends its subscription with this error instead of growing without
/// bound; give the source back-pressure of its own (an <see cref="IConnectionInput"/>) or a larger limit.</remarks>
public sealed class InputOverflowException : IOException
{
    /// <summary>Creates the exception with a message naming the limit and what was held.</summary>
    /// <param name="limit">The most bytes the adapter may hold.</param>
    /// <param name="held">The bytes it would have held.</param>
    public InputOverflowException(int limit, long held)
        : base($"A source that cannot pause pushed {held} bytes while its consumer was paused; at most {limit} are held.")
    {
        Limit = limit;
        Held = held;
    }

    /// <summary>Creates the exception for frames held by <c>WriteTo</c>, whose limit counts frames.</summary>
    internal InputOverflowException(int limit, long held, string unit)
        : base($"A source that cannot pause pushed {held} {unit} while its output was not writable; at most {limit} are held.")
    {
        Limit = limit;
        Held = held;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public InputOverflowException()
        : base("A source that cannot pause pushed more bytes than are held while its consumer was paused.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public InputOverflowException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public InputOverflowException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The most bytes the adapter may hold (frames, when <c>WriteTo</c> held frames); 0 when the exception was
    /// made with a message only.</summary>
    public int Limit { get; }

    /// <summary>The bytes (or frames) it would have held; 0 when the exception was made with a message only.</summary>
    public long Held { get; }
}
