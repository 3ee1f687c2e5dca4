namespace RxNet.Transport;

/// <summary>
/// The transport's half of a <see cref="TransportInput"/>: one read step (a receive, a TLS read, a segment
/// off a simulated link), where the input's pump runs, and what the connection hears about its input. The
/// input owns everything else: the one subscriber and its demand, the chunk kept between subscribers, the
/// end and the error, parking and waking, and the turn around each delivery.
/// </summary>
/// <remarks>
/// <para><b>Grammar.</b> The pump calls <see cref="Read"/> only while it has a subscriber that wants more and
/// <see cref="PausedByOutput"/> is <see langword="false"/>, and never while a read is outstanding. The reader
/// answers each read exactly once, with <see cref="TransportInput.Receive"/> or <see cref="TransportInput.End"/>,
/// during the call or later from any thread. After <see cref="TransportInput.Abort"/> an outstanding read must
/// still be answered (closing the resource usually does it: the read fails), so that the subscriber hears of
/// the abort from the pump and never from two threads at once.</para>
/// <para><b>Ending.</b> When a read ends the input (not after an abort), the pump calls <see cref="Ending"/>,
/// then ends its subscriber (if any), then calls <see cref="Ended"/>: the connection learns which side finished
/// first before the subscriber can react, and that the input is done after it did.</para>
/// </remarks>
public interface IInputReader
{
    /// <summary>Whether the connection's own output is above its high-water mark and fed by this input
    /// (<see cref="TransportOutput.PausesInput"/>): the pump parks until <see cref="TransportInput.Wake"/>.
    /// <see langword="false"/> by default.</summary>
    bool PausedByOutput => false;

    /// <summary>Reads once: answer with <see cref="TransportInput.Receive"/> (a non-empty chunk) or
    /// <see cref="TransportInput.End"/> (end of stream, or the error), now or later.</summary>
    /// <param name="input">The input that asks.</param>
    void Read(TransportInput input);

    /// <summary>Arranges for <see cref="TransportInput.Run"/> to run soon, on a thread of the transport's
    /// choosing (never inline). By default, on the thread pool.</summary>
    /// <param name="input">The input to run.</param>
    void ScheduleRun(TransportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ThreadPool.UnsafeQueueUserWorkItem(input, preferLocal: false);
    }

    /// <summary>A chunk is about to be delivered (for counters and windows). Does nothing by default.</summary>
    /// <param name="chunk">The chunk.</param>
    void Delivering(ReadOnlyMemory<byte> chunk)
    {
    }

    /// <summary>The input parked with a subscriber waiting (back-pressure), once per pause. Does nothing by default.</summary>
    void Paused()
    {
    }

    /// <summary>A read ended the input; called before the subscriber hears of it.</summary>
    /// <param name="error"><see langword="null"/> for the end of the stream (the peer's FIN), else the error.</param>
    void Ending(Exception? error);

    /// <summary>A read ended the input; called after the subscriber heard of it (or at once, with none).</summary>
    /// <param name="error"><see langword="null"/> for the end of the stream, else the error.</param>
    void Ended(Exception? error);

    /// <summary>The subscriber threw from <c>OnNext</c>, <c>OnCompleted</c> or <c>OnError</c>: the transport
    /// logs it and fails the connection. Never called while the input holds its lock.</summary>
    /// <param name="error">What the subscriber threw.</param>
    void SubscriberThrew(Exception error);
}
