using RxNet.Operators.Internal;

namespace RxNet;

public static partial class ConnectionExtensions
{
    /// <summary>The default limit of <see cref="ToConnectionInput(IObservable{ReadOnlyMemory{byte}}, int)"/>: 1 MiB,
    /// sixteen times an output's default high-water mark, so a burst of a plain source rides out a pause.</summary>
    public const int DefaultMaxHeldInputBytes = 1024 * 1024;

    /// <summary>
    /// Adapts a plain observable of bytes, which cannot pause, into an <see cref="IConnectionInput"/>: while its
    /// consumer asks it to pause, what the source pushes is held, up to <paramref name="maxHeldBytes"/>, and delivered
    /// in order when the consumer asks again.
    /// </summary>
    /// <param name="source">The bytes, for example a file's chunks or a subject.</param>
    /// <param name="maxHeldBytes">The most bytes held while paused; <see cref="DefaultMaxHeldInputBytes"/> by default.</param>
    /// <returns>A cold input: each subscription subscribes <paramref name="source"/> once, with a buffer of its own.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxHeldBytes"/> is not positive.</exception>
    /// <remarks>
    /// <para>This is the one place where a plain source meets back-pressure: operators that pause their source take
    /// an <see cref="IConnectionInput"/>, and their overloads for plain observables come through here.</para>
    /// <para><b>Bounded.</b> When the held bytes would pass <paramref name="maxHeldBytes"/>, what was held is dropped,
    /// the source is unsubscribed and the subscriber gets an <see cref="InputOverflowException"/> naming the limit.
    /// Nothing is held while the consumer wants bytes: they go straight through.</para>
    /// <para><b>Threading.</b> Notifications are delivered on the thread that pushed them, or on the one that turned
    /// demand back on; never concurrently. Empty chunks are dropped.</para>
    /// <para>The source is not paused: a connection's own <see cref="IConnection.Input"/> is already an
    /// <see cref="IConnectionInput"/> and should be used as it is.</para>
    /// </remarks>
    public static IConnectionInput ToConnectionInput(this IObservable<ReadOnlyMemory<byte>> source, int maxHeldBytes = DefaultMaxHeldInputBytes)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHeldBytes);
        return new HeldInput(source, maxHeldBytes);
    }
}
