namespace RxNet.Policies.Internal;

/// <summary>
/// One run of a <see cref="Backoff"/>: the retry count and the delay the next one grows from. The only
/// implementation of the schedule: <see cref="Backoff.Delays"/>, the reconnecting operator and
/// <c>ReconnectingClientFactory</c> all step one of these.
/// </summary>
/// <remarks>Not thread-safe: its owner serializes the calls. Jitter is drawn under a lock on the
/// <see cref="Random"/>, so one seeded instance may serve several schedules.</remarks>
internal sealed class BackoffSchedule(Backoff backoff, Random random)
{
    private double _delay = double.NaN; // seconds; NaN until the first retry, meaning InitialDelay

    /// <summary>The settings; the factory replaces them when its properties change, taking effect at the next retry.</summary>
    public Backoff Backoff { get; set; } = backoff;

    /// <summary>Retries asked for since the start or the last <see cref="Reset"/> (Twisted's <c>retries</c>).</summary>
    public int Retries { get; private set; }

    /// <summary>The delay the next one grows from, in seconds (Twisted's <c>delay</c>): the initial delay
    /// at first, then the last wait (jittered when the jitter compounds).</summary>
    public double Delay => double.IsNaN(_delay) ? Backoff.InitialDelay.TotalSeconds : _delay;

    /// <summary>Counts one more retry and gives its wait, or <see langword="false"/> when
    /// <see cref="Backoff.MaxRetries"/> are used up (Twisted's <c>retry()</c>).</summary>
    public bool TryNext(out TimeSpan delay)
    {
        Retries++;
        if (Backoff.MaxRetries is int max && Retries > max)
        {
            delay = TimeSpan.Zero;
            return false;
        }
        double grown = Math.Min(Delay * Backoff.Factor, Backoff.MaxDelay.TotalSeconds);
        double jittered;
        lock (random)
            jittered = Math.Max(0.0, Backoff.Jitter.Apply(grown, random));
        _delay = Backoff.Jitter.Compounds ? jittered : grown;
        delay = Backoff.ToTimeSpan(jittered);
        return true;
    }

    /// <summary>Starts over: no retries, the initial delay (Twisted's <c>resetDelay()</c>).</summary>
    public void Reset()
    {
        Retries = 0;
        _delay = double.NaN;
    }
}
