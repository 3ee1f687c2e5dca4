namespace RxNet.Transport;

/// <summary>
/// The transport's half of an <see cref="TransportOutput"/>: how queued bytes leave (a send, a TLS write, a
/// simulated link), how the sending side is finished (FIN, <c>close_notify</c>) and when a drain runs. The
/// queue owns everything else: copying, water marks, <c>Writable</c>, turns, completion and abort.
/// </summary>
/// <remarks>
/// <para><b>Grammar.</b> The queue calls <see cref="ScheduleDrain"/> when bytes or the completion wait and
/// no drain is scheduled or running; the transport then calls <see cref="TransportOutput.Drain"/> (on a thread
/// of its choosing, outside its locks). A drain calls <see cref="SendAsync"/> for one batch at a time,
/// never two at once, until the queue is empty, then, once the output is completed,
/// <see cref="ShutdownAsync"/> exactly once. A send or shutdown that throws ends the drain and is reported
/// to <see cref="Failed"/>; an abort (<see cref="TransportOutput.Abort"/>) ends it after the send in flight.</para>
/// <para><b>Ownership.</b> The segments of a batch belong to the queue: read them during
/// <see cref="SendAsync"/> (until its task completes), never after.</para>
/// <para><b>Threading.</b> Members are called outside the queue's lock, from the writer's thread, the
/// drain's thread or the thread that completed the previous send.</para>
/// </remarks>
public interface IOutputDrain
{
    /// <summary>The most bytes the next batch may hold now; 0 keeps the bytes queued (not the completion)
    /// until the transport calls <see cref="TransportOutput.Drain"/> again, for example when a window opens.</summary>
    long Room => long.MaxValue;

    /// <summary>Arranges for <see cref="TransportOutput.Drain"/> to run soon. By default, at the end of the
    /// current <see cref="ConnectionTurn"/> if one is running, otherwise on the thread pool.</summary>
    /// <param name="queue">The queue to drain.</param>
    void ScheduleDrain(TransportOutput queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (!ConnectionTurn.TryEnlist(queue))
            ThreadPool.UnsafeQueueUserWorkItem(queue, preferLocal: true);
    }

    /// <summary>Hands one batch to the transport.</summary>
    /// <param name="batch">The bytes, in order; its length never exceeds <see cref="Room"/>.</param>
    /// <returns>A task that completes once the batch's segments may be reused; it may complete at once.</returns>
    ValueTask SendAsync(OutputBatch batch);

    /// <summary>Every byte has been sent and the output is completed: finish the sending side (a half-close).
    /// Report the connection's bookkeeping here (the side that finished first, then that it is done).</summary>
    /// <returns>A task that completes when the sending side is finished.</returns>
    ValueTask ShutdownAsync();

    /// <summary>A send or the shutdown threw: the transport fails the connection.</summary>
    /// <param name="error">What was thrown.</param>
    void Failed(Exception error);

    /// <summary>The writer called <c>OnError</c>: the transport aborts the connection (which calls
    /// <see cref="TransportOutput.Abort"/>).</summary>
    /// <param name="error">The writer's error.</param>
    void Abort(Exception error);

    /// <summary>Pending bytes fell below the low-water mark: the connection's own input may resume.
    /// Does nothing by default.</summary>
    void Drained()
    {
    }
}
