namespace RxNet.Policies.Internal;

/// <summary>
/// What a policy that only watches a connection's traffic hears: every chunk delivered to the input's
/// subscriber and every chunk written to the output, and how each direction ends. Called on the thread of
/// the event, serialized per direction as the connection serializes it.
/// </summary>
internal interface ITrafficTap
{
    /// <summary>A chunk is about to be delivered to the input's subscriber.</summary>
    void Received(ReadOnlyMemory<byte> chunk);

    /// <summary>The input completed (the peer's FIN) before it is delivered.</summary>
    void InputCompleted();

    /// <summary>The input failed; returns the error to deliver in its place (the same one, or a clearer one).</summary>
    Exception InputFailed(Exception error);

    /// <summary>A non-empty chunk is about to be written to the output.</summary>
    void Sending(ReadOnlyMemory<byte> chunk);

    /// <summary>The output is about to be completed (flush, then FIN).</summary>
    void OutputCompleted();

    /// <summary>The output is about to be failed (abort).</summary>
    void OutputFailed(Exception error);
}
