namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>IProducer</c>: something that writes to an <see cref="IConsumer"/> (a transport) and can be told to
/// stop. Implement <see cref="IPushProducer"/> or <see cref="IPullProducer"/>, and register it with
/// <see cref="IConsumer.RegisterProducer"/>.
/// </summary>
/// <remarks>Calls come from the consumer, one at a time; for a transport, on the thread on which the connection's
/// output changed state or on which the protocol called, as any protocol event.</remarks>
public interface IProducer
{
    /// <summary>Stops producing for good: the consumer is gone (the connection ended) or asked for it. Do not
    /// write to the consumer afterwards.</summary>
    void StopProducing();
}
