namespace RxNet.Transport;

/// <summary>
/// What a <see cref="ConnectionLifetime"/> releases: the transport's socket, stream or link. The lifetime
/// decides when and why (ADR 0004); this says how.
/// </summary>
/// <remarks>Exactly one of <see cref="Abort"/> and <see cref="Release"/> is called, once, outside the
/// lifetime's lock; then <see cref="Closing"/>, then <c>Closed</c> is published.</remarks>
public interface IConnectionResource
{
    /// <summary>The connection ends at once (a local abort, a reset, a fault): drop what is queued
    /// (<see cref="TransportOutput.Abort"/>), end the input (<see cref="TransportInput.Abort"/>), let the peer
    /// see a reset where the transport has one, and free the resource.</summary>
    /// <param name="error">The error that aborts it, if any: the cause to wrap in the input's
    /// <see cref="ConnectionAbortedException"/>, except a <see cref="ConnectionResetException"/>, which the input
    /// reports as it is (a reset that a send met first is still the peer's reset, not an abort by this side).</param>
    void Abort(Exception? error);

    /// <summary>Both directions finished (the output completed and flushed, the input ended), or the output finished
    /// after <see cref="ConnectionLifetime.Close"/>: end the input if it has not ended (<see cref="TransportInput.Close"/>)
    /// and free the resource.</summary>
    void Release();

    /// <summary>The connection is closed for <paramref name="reason"/>: log and count it. Called just before
    /// <see cref="ConnectionLifetime.Closed"/> emits it.</summary>
    /// <param name="reason">The reason <c>Closed</c> is about to report.</param>
    void Closing(ConnectionClosed reason)
    {
    }

    /// <summary>A subscriber of <see cref="ConnectionLifetime.Closed"/> threw: log it (the default ignores it).
    /// Rethrowing is allowed: it escapes into the thread that closed the connection.</summary>
    /// <param name="error">What the subscriber threw.</param>
    void ClosedSubscriberThrew(Exception error)
    {
    }
}
