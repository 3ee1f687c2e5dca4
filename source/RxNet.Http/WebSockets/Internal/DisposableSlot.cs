namespace RxNet.Http.WebSockets.Internal;

/// <summary>
/// A field holding one subscription, as <c>SerialDisposable</c> does without an object of its own: setting it disposes
/// what it held, and once ended it disposes whatever it is given. An idle socket holds several such fields, so the
/// saving counts per socket.
/// </summary>
internal static class DisposableSlot
{
    private static readonly IDisposable Ended = System.Reactive.Disposables.Disposable.Empty;

    /// <summary>Puts <paramref name="value"/> in <paramref name="slot"/> and disposes what was there; disposes
    /// <paramref name="value"/> instead when the slot has ended.</summary>
    public static void Set(ref IDisposable? slot, IDisposable? value)
    {
        var current = Volatile.Read(ref slot);
        while (true)
        {
            if (ReferenceEquals(current, Ended))
            {
                value?.Dispose();
                return;
            }
            var seen = Interlocked.CompareExchange(ref slot, value, current);
            if (ReferenceEquals(seen, current))
            {
                current?.Dispose();
                return;
            }
            current = seen;
        }
    }

    /// <summary>Ends <paramref name="slot"/>: disposes what it holds and everything it is given later.</summary>
    public static void End(ref IDisposable? slot) => Interlocked.Exchange(ref slot, Ended)?.Dispose();
}
