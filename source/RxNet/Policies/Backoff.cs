using RxNet.Policies.Internal;

namespace RxNet;

/// <summary>
/// An exponential back-off with jitter and an optional retry limit: how long to wait before each retry
/// of a connection (<see cref="ReconnectExtensions.Reconnecting"/>, <c>ReconnectingClientFactory</c>).
/// </summary>
/// <remarks>
/// <para>The schedule is Twisted's. Retry <c>n</c> (from 1) waits a base delay that grows from the previous
/// one: <c>base(n) = min(base(n-1) × Factor, MaxDelay)</c> with <c>base(0) = InitialDelay</c>; the
/// <see cref="Jitter"/> then adds noise to it. So the first wait is <see cref="InitialDelay"/> ×
/// <see cref="Factor"/>, not <see cref="InitialDelay"/>: Twisted's <c>ReconnectingClientFactory</c>
/// multiplies before its first retry (about 2.7 s), and its <c>ClientService</c> computes
/// <c>initialDelay × factor ** attempt</c> with attempts counted from 1 (1.5 s). The cap applies before
/// the jitter, so a jittered delay may exceed <see cref="MaxDelay"/> a little, as in Twisted.</para>
/// <para>After <see cref="MaxRetries"/> retries in a row without a connection, the next failure gives up.
/// A connection made resets the schedule (the reconnecting operator does it; the factory does it when
/// the protocol calls <c>ResetDelay()</c>, as in Twisted).</para>
/// <para>Delays are rounded to the nearest tick (100 ns, halves up) and are scheduled on the scheduler given to the
/// operator or factory, so they pass in virtual time under a <c>TestScheduler</c>. The record is
/// immutable; derive variants with <c>with</c>: <c>Backoff.ClientService with { MaxRetries = 5 }</c>.</para>
/// </remarks>
public sealed record Backoff
{
    /// <summary>Creates a back-off without jitter and without a retry limit.</summary>
    /// <param name="initialDelay">The delay the schedule starts from; the first wait is this times <paramref name="factor"/>.</param>
    /// <param name="factor">How much each wait grows over the previous one; at least 1.</param>
    /// <param name="maxDelay">The longest wait before jitter.</param>
    /// <exception cref="ArgumentOutOfRangeException">A delay is negative, or the factor is below 1 or not finite.</exception>
    public Backoff(TimeSpan initialDelay, double factor, TimeSpan maxDelay)
    {
        InitialDelay = initialDelay;
        Factor = factor;
        MaxDelay = maxDelay;
    }

    /// <summary>
    /// Twisted's <c>ReconnectingClientFactory</c>: initial delay 1 s, factor e (2.7182818284590451), at most
    /// 3600 s, normal jitter of 0.11962656472 (<see cref="BackoffJitter.Normal"/>), no retry limit.
    /// Waits about 2.7 s, 7.4 s, 20 s, 55 s, 2.5 min, 6.7 min, 18 min, 50 min, then an hour.
    /// </summary>
    public static Backoff Twisted { get; } = new(TimeSpan.FromSeconds(1), 2.7182818284590451, TimeSpan.FromSeconds(3600))
    {
        Jitter = BackoffJitter.Normal(0.11962656472),
    };

    /// <summary>
    /// Twisted's <c>ClientService</c> (its <c>backoffPolicy()</c> defaults): initial delay 1 s, factor 1.5,
    /// at most 60 s, plus a uniform jitter of up to 1 s (<see cref="BackoffJitter.Uniform"/>), no retry limit.
    /// Waits 1.5 s, 2.25 s, 3.4 s, 5.1 s, ... 57.7 s, then 60 s, each plus up to a second.
    /// </summary>
    public static Backoff ClientService { get; } = new(TimeSpan.FromSeconds(1), 1.5, TimeSpan.FromSeconds(60))
    {
        Jitter = BackoffJitter.Uniform(TimeSpan.FromSeconds(1)),
    };

    /// <summary>The delay the schedule starts from (Twisted's <c>initialDelay</c>); the first wait is this
    /// times <see cref="Factor"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan InitialDelay
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The initial delay cannot be negative.");
    }

    /// <summary>How much each wait grows over the previous one (Twisted's <c>factor</c>); at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or not finite.</exception>
    public double Factor
    {
        get;
        init => field = double.IsFinite(value) && value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The factor must be a finite number of at least 1.");
    }

    /// <summary>The longest wait before jitter (Twisted's <c>maxDelay</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan MaxDelay
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The maximum delay cannot be negative.");
    }

    /// <summary>The noise added to each wait; <see cref="BackoffJitter.None"/> unless set.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public BackoffJitter Jitter
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(value));
    } = BackoffJitter.None;

    /// <summary>How many retries in a row may fail before giving up (Twisted's <c>maxRetries</c>);
    /// <see langword="null"/> (the default) retries for ever. With 0, a failed or lost connection is never retried.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int? MaxRetries
    {
        get;
        init => field = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The retry limit cannot be negative.");
    }

    /// <summary>The waits before retry 1, 2, 3, ... as one run of the schedule would draw them.</summary>
    /// <param name="random">Where the jitter comes from; a seeded <see cref="Random"/> gives the same waits every
    /// time. <see cref="Random.Shared"/> when omitted.</param>
    /// <returns>A lazy sequence, endless unless <see cref="MaxRetries"/> is set; each enumeration starts afresh
    /// but draws from the same <paramref name="random"/>.</returns>
    /// <remarks>Useful with Rx's <c>RetryWhen</c> for anything that is not a connection, and to print a policy.</remarks>
    public IEnumerable<TimeSpan> Delays(Random? random = null)
    {
        var schedule = new BackoffSchedule(this, random ?? Random.Shared);
        while (schedule.TryNext(out var delay))
            yield return delay;
    }

    /// <summary>A delay in seconds as a <see cref="TimeSpan"/>, rounded to the nearest tick (halves up); negative means zero.</summary>
    internal static TimeSpan ToTimeSpan(double seconds)
    {
        if (!(seconds > 0))
            return TimeSpan.Zero;
        double ticks = Math.Round(seconds * TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero);
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : new TimeSpan((long)ticks);
    }
}
