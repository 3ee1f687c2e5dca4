using RxNet.Internal;

namespace RxNet.Operators.Internal;

/// <summary>
/// A plain observable of bytes as an <see cref="IConnectionInput"/> (see
/// <see cref="ConnectionExtensions.ToConnectionInput"/>): each subscription holds what arrives while its demand is
/// off, up to a limit of bytes, and delivers it in order, one notification at a time, when demand comes back; past
/// the limit it fails with an <see cref="InputOverflowException"/>.
/// </summary>
internal sealed class HeldInput(IObservable<ReadOnlyMemory<byte>> source, int maxHeldBytes) : IConnectionInput
{
    /// <summary>What a chunk counts towards the limit: its length (so an empty chunk is dropped).</summary>
    public static readonly Func<ReadOnlyMemory<byte>, int> Length = static chunk => chunk.Length;

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, SubscriberSlot<ReadOnlyMemory<byte>>.AlwaysDemand);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(canProduce);
        return HoldingSink<ReadOnlyMemory<byte>>.Subscribe(source, observer, canProduce, Length, maxHeldBytes, OverflowPolicy.Fail,
            held => new InputOverflowException(maxHeldBytes, held));
    }
}
