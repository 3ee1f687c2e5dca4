namespace RxNet.Http.Server.Timing;

/// <summary>
/// The arithmetic of one minimum data rate (the request body's or the response's): counters only, no scheduler and
/// no lock (<see cref="HttpConnectionClock"/> owns both), so counting a chunk allocates nothing; a struct held inside the
/// clock, so a connection's two meters are no objects of their own.
/// </summary>
/// <remarks>
/// <para><b>The rule.</b> A transfer is timed only while it is <em>waiting</em> (the server wants bytes from the client,
/// or waits for the client to take bytes). Let <c>W</c> be the time spent waiting since the transfer began, summed over
/// every waiting span, and <c>B</c> the bytes counted since it began (every byte, whether it moved while waiting or
/// not). The transfer is too slow at the first instant, while waiting, at which <c>W</c> has reached the grace period
/// and <c>B</c> is below <c>rate × W</c>: in whole ticks, when <c>W</c> reaches
/// <c>max(grace, floor(B × TicksPerSecond / rate) + 1)</c>. Bytes arriving push that instant later; a pause stops
/// <c>W</c>.</para>
/// </remarks>
internal struct DataRateMeter
{
    private readonly HttpDataRate? _rate;
    private bool _active;
    private bool _waiting;
    private long _bytes;
    private long _waitedTicks;     // waiting time of the spans that have ended
    private long _waitStartTicks;  // when the current waiting span began (meaningful while _waiting)

    /// <summary>Creates a meter for a minimum rate, or for none (then it never expires).</summary>
    public DataRateMeter(HttpDataRate? rate) => _rate = rate is { BytesPerSecond: > 0 } ? rate : null;

    /// <summary>Whether a transfer is in progress (begun and not ended).</summary>
    public readonly bool IsActive => _active;

    /// <summary>Sets whether the transfer is waiting on the client, beginning one (with zeroed counters) if none is
    /// in progress.</summary>
    public void SetWaiting(bool waiting, long nowTicks)
    {
        BeginIfIdle();
        if (waiting == _waiting)
            return;
        if (waiting)
            _waitStartTicks = nowTicks;
        else
            _waitedTicks += nowTicks - _waitStartTicks;
        _waiting = waiting;
    }

    /// <summary>Counts bytes that moved, beginning a transfer (not waiting) if none is in progress.</summary>
    public void Add(long bytes)
    {
        BeginIfIdle();
        _bytes += bytes;
    }

    /// <summary>Ends the transfer: nothing is timed until the next one begins.</summary>
    public void End()
    {
        _active = false;
        _waiting = false;
    }

    /// <summary>The instant (scheduler ticks) at which the transfer is too slow if nothing changes before it, or
    /// <see cref="long.MaxValue"/> while nothing is timed (no minimum, no transfer, or not waiting).</summary>
    public readonly long Deadline
    {
        get
        {
            if (_rate is null || !_active || !_waiting)
                return long.MaxValue;
            double forBytes = Math.Floor(_bytes * (double)TimeSpan.TicksPerSecond / _rate.BytesPerSecond) + 1;
            if (forBytes >= long.MaxValue / 2)
                return long.MaxValue;
            long allowance = Math.Max(_rate.GracePeriod.Ticks, (long)forBytes);
            long left = allowance - _waitedTicks;
            return left >= long.MaxValue - _waitStartTicks ? long.MaxValue : _waitStartTicks + left;
        }
    }

    private void BeginIfIdle()
    {
        if (_active)
            return;
        _active = true;
        _waiting = false;
        _bytes = 0;
        _waitedTicks = 0;
    }
}
