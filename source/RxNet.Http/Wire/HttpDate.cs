using System.Globalization;
using System.Reactive.Concurrency;
using System.Text;

namespace RxNet.Http;

/// <summary>
/// The <c>Date</c> a response carries: the scheduler's <c>Now</c> as an IMF-fixdate
/// (<c>Sun, 06 Nov 1994 08:49:37 GMT</c>, RFC 9110 §5.6.7), formatted once per second.
/// </summary>
/// <remarks>Thread-safe: connections on different threads share one; a second's bytes are immutable once made,
/// and a reader sees either the old second's or the new second's whole.</remarks>
internal sealed class HttpDate
{
    private readonly IScheduler _scheduler;
    private Entry? _current;

    /// <summary>Creates a clock reading <paramref name="scheduler"/>.</summary>
    /// <param name="scheduler">Whose <c>Now</c> is the date (a TestScheduler's virtual time in specs).</param>
    public HttpDate(IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        _scheduler = scheduler;
    }

    /// <summary>The current second as 29 ASCII bytes of IMF-fixdate.</summary>
    public ReadOnlySpan<byte> Now
    {
        get
        {
            DateTimeOffset now = _scheduler.Now.ToUniversalTime();
            long second = now.UtcTicks / TimeSpan.TicksPerSecond;
            Entry? entry = Volatile.Read(ref _current);
            if (entry is null || entry.Second != second)
            {
                entry = new Entry(second, Encoding.ASCII.GetBytes(now.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture)));
                Volatile.Write(ref _current, entry);
            }
            return entry.Bytes;
        }
    }

    private sealed record Entry(long Second, byte[] Bytes);
}
