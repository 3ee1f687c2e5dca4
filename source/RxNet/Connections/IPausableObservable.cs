namespace RxNet;

/// <summary>
/// A source that can pause at the consumer's request. A connection's input is one of bytes, typed as
/// <see cref="IConnectionInput"/> so that operators such as
/// <see cref="ConnectionExtensions.WriteTo(IConnectionInput, IConnectionOutput)"/> can pause it without testing its type.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public interface IPausableObservable<out T> : IObservable<T>
{
    /// <summary>Subscribes, producing only while the latest value of <paramref name="canProduce"/> is
    /// <see langword="true"/> (a source that has not produced a value yet counts as <see langword="true"/>).</summary>
    /// <param name="observer">The observer.</param>
    /// <param name="canProduce">The consumer's demand signal, for example an output's <c>Writable</c>.</param>
    /// <returns>The subscription; disposing it stops producing.</returns>
    IDisposable Subscribe(IObserver<T> observer, IObservable<bool> canProduce);
}
