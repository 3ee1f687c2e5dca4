namespace RxNet.Policies.Internal;

/// <summary>
/// The pacing of one throttled direction, as a link of that bandwidth would pace it: a slice of bytes is
/// passed on once the time its bytes take at the rate has passed since the direction became busy.
/// Due times are computed from the start of the busy period and the bytes since, so rounding never drifts:
/// the n-th byte of a busy period passes at <c>start + ceil(n × TicksPerSecond / rate)</c>.
/// </summary>
/// <remarks>Not thread-safe: the owner calls it under its lock.</remarks>
internal sealed class ThrottleRate
{
    /// <summary>A slice is at most a tenth of a second's worth of bytes: the pacing's granularity.</summary>
    public const int SlicesPerSecond = 10;

    /// <summary>And at most 64 KiB, so that fast rates still hand on bounded pieces.</summary>
    public const int MaxSliceSize = 64 * 1024;

    private readonly long _bytesPerSecond;
    private long _busyStart;
    private long _busyBytes;
    private long _lastDue = long.MinValue;

    public ThrottleRate(long bytesPerSecond)
    {
        _bytesPerSecond = bytesPerSecond;
        SliceSize = bytesPerSecond == 0 ? int.MaxValue : (int)Math.Clamp(bytesPerSecond / SlicesPerSecond, 1, MaxSliceSize);
    }

    /// <summary>Whether the direction is unlimited: every slice is due at once.</summary>
    public bool IsUnlimited => _bytesPerSecond == 0;

    /// <summary>The most bytes passed on at once.</summary>
    public int SliceSize { get; }

    /// <summary>Accounts a slice of <paramref name="bytes"/> that starts now, or when the previous one ends,
    /// and returns the tick at which it is due.</summary>
    public long Due(long now, int bytes)
    {
        if (IsUnlimited)
            return now;
        if (now > _lastDue)
        {
            // Idle since the last slice was due: a new busy period starts now.
            _busyStart = now;
            _busyBytes = 0;
        }
        _busyBytes += bytes;
        var ticks = ((Int128)_busyBytes * TimeSpan.TicksPerSecond + _bytesPerSecond - 1) / _bytesPerSecond;
        _lastDue = _busyStart + (long)ticks;
        return _lastDue;
    }
}
