namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>IPullProducer</c>: a producer that writes one chunk each time it is asked; register it with
/// <c>RegisterProducer(producer, streaming: false)</c>. <see cref="FileSender"/> is one.
/// </summary>
/// <remarks>
/// A transport asks at once when it is registered, then again after each chunk while its output is
/// <see cref="IConnectionOutput.Writable"/>; above the high-water mark it waits until the output is writable again, so
/// at most the high-water mark plus one chunk is ever queued. When it has nothing left, the producer unregisters
/// itself (<see cref="IConsumer.UnregisterProducer"/>).
/// </remarks>
public interface IPullProducer : IProducer
{
    /// <summary>Writes one chunk to the consumer, before returning (not later: a transport asks again once this
    /// returns, and a call that wrote nothing is not repeated until the output has been full and is writable
    /// again).</summary>
    void ResumeProducing();
}
