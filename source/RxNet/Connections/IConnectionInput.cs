namespace RxNet;

/// <summary>
/// The receiving side of a connection: an observable of byte chunks that can pause at its consumer's request.
/// Every <see cref="IConnection.Input"/> is one, so an operator that must pause its source (such as
/// <see cref="ConnectionExtensions.WriteTo(IConnectionInput, IConnectionOutput)"/>) says so in its signature
/// instead of testing the source's type at run time, and a wrapper cannot lose back-pressure by forgetting it.
/// </summary>
/// <remarks>
/// <para><b>Grammar.</b> That of <see cref="IConnection.Input"/>: cold, unicast, sequential notifications, never an
/// empty chunk, each chunk the subscriber's to keep.</para>
/// <para><b>Pausing.</b> <see cref="IPausableObservable{T}.Subscribe(IObserver{T}, IObservable{bool})"/> produces
/// only while the latest value of its demand signal is <see langword="true"/> (before the first value it counts as
/// <see langword="true"/>); the plain <c>Subscribe</c> never pauses. At most the chunk being read may arrive after a
/// <see langword="false"/>.</para>
/// <para><b>Plain observables.</b> A user's <see cref="IObservable{T}"/> of bytes cannot pause; it becomes an input
/// in one place, <see cref="ConnectionExtensions.ToConnectionInput(IObservable{ReadOnlyMemory{byte}}, int)"/>, which
/// holds what the source pushes while paused up to a limit and then fails with an
/// <see cref="InputOverflowException"/>.</para>
/// <para><b>Implementing.</b> A wrapper over a connection takes the inner connection's <see cref="IConnectionInput"/>
/// and passes its subscriber's demand on to it, so the peer is paused through any number of wrappers.</para>
/// </remarks>
public interface IConnectionInput : IPausableObservable<ReadOnlyMemory<byte>>
{
    /// <summary>Subscribes an output (<c>Input.Subscribe(Output)</c>, the whole echo protocol): as an output copies
    /// each chunk before its <c>OnNext</c> returns, the input may deliver chunks of a buffer it reuses, so the
    /// bytes passed through allocate nothing. Otherwise the same as subscribing the output as an observer.</summary>
    /// <param name="output">The output to write every chunk to.</param>
    /// <returns>The subscription.</returns>
    IDisposable Subscribe(IConnectionOutput output) => Subscribe((IObserver<ReadOnlyMemory<byte>>)output);

    /// <summary>Subscribes an output, producing only while <paramref name="canProduce"/> says so
    /// (<see cref="ConnectionExtensions.WriteTo(IConnectionInput, IConnectionOutput)"/>); chunks may be lent as with
    /// <see cref="Subscribe(IConnectionOutput)"/>.</summary>
    /// <param name="output">The output to write every chunk to.</param>
    /// <param name="canProduce">The demand signal, usually the output's <see cref="IConnectionOutput.Writable"/>.</param>
    /// <returns>The subscription.</returns>
    IDisposable Subscribe(IConnectionOutput output, IObservable<bool> canProduce) => Subscribe((IObserver<ReadOnlyMemory<byte>>)output, canProduce);

    /// <summary>Gives back bytes this input delivered to its subscriber that the subscriber did not use, just before it
    /// unsubscribes: the next subscriber gets them first. A decoder that stops after one frame in the middle of a chunk
    /// (<c>input.Lines().FirstAsync()</c>) gives back the rest of the chunk this way, so nothing is lost between one
    /// subscriber and the next.</summary>
    /// <param name="rest">The unused bytes, in the order they were received; they must not change afterwards.</param>
    /// <remarks>Call it from the subscriber only, before disposing its subscription. Bytes given back after this side
    /// closed or aborted the connection are dropped. An input that cannot keep them (the default, for example
    /// <see cref="ConnectionExtensions.ToConnectionInput(IObservable{ReadOnlyMemory{byte}}, int)"/>) drops them; a
    /// wrapper over a connection passes them on to the input it wraps.</remarks>
    void Unread(ReadOnlyMemory<byte> rest)
    {
    }
}
