namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>IConsumer</c>: what a producer writes to. Every <see cref="ITransport"/> is one.
/// </summary>
/// <remarks>
/// One producer at a time: registering a second before the first is unregistered is an error, as in Twisted.
/// A producer registered after the connection ended is stopped at once instead.
/// </remarks>
public interface IConsumer
{
    /// <summary>Queues bytes to send; they are copied, so the caller may reuse its buffer at once.</summary>
    /// <param name="data">The bytes.</param>
    void Write(ReadOnlyMemory<byte> data);

    /// <summary>Lets <paramref name="producer"/> write to this consumer at the pace it can take (Twisted's
    /// <c>registerProducer</c>).</summary>
    /// <param name="producer">The producer: an <see cref="IPushProducer"/> when <paramref name="streaming"/>, else an
    /// <see cref="IPullProducer"/> (an <see cref="IPushProducer"/> is then asked through its
    /// <see cref="IPushProducer.ResumeProducing"/>, as Twisted lets it be).</param>
    /// <param name="streaming"><see langword="true"/> for a push producer, paused and resumed with the output's
    /// writability; <see langword="false"/> for a pull producer, asked for one chunk at a time.</param>
    /// <exception cref="ArgumentNullException"><paramref name="producer"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="producer"/> is not of the kind <paramref name="streaming"/>
    /// says.</exception>
    /// <exception cref="InvalidOperationException">Another producer is registered and was never unregistered.</exception>
    void RegisterProducer(IProducer producer, bool streaming);

    /// <summary>Lets go of the registered producer, without closing anything (Twisted's <c>unregisterProducer</c>);
    /// does nothing if none is registered.</summary>
    void UnregisterProducer();
}
