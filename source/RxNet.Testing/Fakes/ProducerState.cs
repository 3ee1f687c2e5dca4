namespace RxNet.Testing;

/// <summary>What a protocol last asked of a <see cref="StringTransport"/> as the producer of its input (Twisted's
/// <c>StringTransport.producerState</c>).</summary>
public enum ProducerState
{
    /// <summary>Reading: never paused, or resumed.</summary>
    Producing,

    /// <summary>Paused with <see cref="StringTransport.PauseProducing"/>.</summary>
    Paused,

    /// <summary>Stopped with <see cref="StringTransport.StopProducing"/>; it cannot be resumed.</summary>
    Stopped,
}
