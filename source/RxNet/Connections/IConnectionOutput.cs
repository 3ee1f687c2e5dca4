namespace RxNet;

/// <summary>
/// The sending side of a connection: an observer of byte chunks with flow-control signals.
/// </summary>
/// <remarks>
/// <para><b>OnNext</b> copies the bytes and queues them; it may return before they leave, and
/// the caller may reuse its buffer at once. Writes made in the same turn (for example several
/// writes from one <c>OnNext</c> of an input) are coalesced into one send. Empty chunks are ignored.</para>
/// <para><b>OnCompleted</b> sends everything queued, then shuts down the sending side
/// (half-close); the input keeps running until the peer closes. <b>OnError</b> aborts the
/// connection. Writing after completion or abort is a no-op that is counted and logged, never an
/// exception thrown into the caller.</para>
/// <para><b>Flow control.</b> Queued bytes are bounded only by the writer's good manners:
/// <see cref="Writable"/> turns <see langword="false"/> when <see cref="PendingBytes"/> rises above
/// the high-water mark (64 KiB by default) and <see langword="true"/> again when it falls below the
/// low-water mark (32 KiB). A connection's input pauses automatically while its own output is
/// above the mark, if that output is written to from the input's notifications: echo and
/// request/response protocols are bounded with no effort, while a client that writes from elsewhere
/// keeps reading replies (and cannot deadlock with an echoing peer). To feed
/// one connection from another, use
/// <see cref="ConnectionExtensions.WriteTo(IConnectionInput, IConnectionOutput)"/>.</para>
/// <para>Calls may come from any thread; the output serializes them.</para>
/// </remarks>
public interface IConnectionOutput : IObserver<ReadOnlyMemory<byte>>
{
    /// <summary>
    /// The current writability, replayed to each new subscriber, then every change:
    /// <see langword="false"/> above the high-water mark, <see langword="true"/> again below the low-water mark.
    /// Completes when the output is finished.
    /// </summary>
    IObservable<bool> Writable { get; }

    /// <summary>Bytes accepted by <c>OnNext</c> and not yet handed to the operating system.</summary>
    long PendingBytes { get; }
}
