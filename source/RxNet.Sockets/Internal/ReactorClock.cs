using System.Diagnostics;

namespace RxNet.Sockets.Internal;

/// <summary>
/// The socket reactor's two readings of the real clock, the only ones its event loop makes: a monotonic count of
/// ticks that orders and times its work, and the wall clock it reports as <c>Now</c>. Kept in one place so that the
/// banned-API exceptions name two members, not the loop.
/// </summary>
internal static class ReactorClock
{
    /// <summary>Ticks (100 ns) of the monotonic clock, from an arbitrary origin: immune to changes of the wall
    /// clock, so a due time measured on it neither jumps nor runs backwards.</summary>
    public static long ElapsedTicks()
    {
        long timestamp = Stopwatch.GetTimestamp();
        long frequency = Stopwatch.Frequency;
        // Split so the multiplication cannot overflow however long the machine has been up.
        return timestamp / frequency * TimeSpan.TicksPerSecond + timestamp % frequency * TimeSpan.TicksPerSecond / frequency;
    }

    /// <summary>The wall clock, as Rx's own schedulers report it.</summary>
    public static DateTimeOffset UtcNow() => DateTimeOffset.UtcNow;
}
