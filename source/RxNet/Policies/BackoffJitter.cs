using System.Globalization;

namespace RxNet;

/// <summary>
/// The noise a <see cref="Backoff"/> adds to each delay, so that clients cut off together do not all
/// come back at the same instant. Three kinds, each Twisted's own: <see cref="None"/>,
/// <see cref="Normal"/> (<c>ReconnectingClientFactory</c>) and <see cref="Uniform"/> (<c>ClientService</c>).
/// </summary>
/// <remarks>Draws come from the <see cref="Random"/> given to the schedule, so a seeded one replays the same
/// delays. A jittered delay below zero counts as zero.</remarks>
public abstract record BackoffJitter
{
    private protected BackoffJitter()
    {
    }

    /// <summary>No noise: every delay is exactly the computed one.</summary>
    public static BackoffJitter None { get; } = new NoJitter();

    /// <summary>
    /// Twisted's <c>ReconnectingClientFactory</c> jitter: the delay is drawn from a normal distribution
    /// centred on the computed delay, with a standard deviation of <paramref name="deviation"/> times it
    /// (Twisted's <c>random.normalvariate(delay, delay * jitter)</c>), and the drawn delay is the base the
    /// next one grows from, as in Twisted.
    /// </summary>
    /// <param name="deviation">The standard deviation as a fraction of the delay; Twisted's is 0.11962656472.
    /// 0 means no noise.</param>
    /// <returns>The jitter.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="deviation"/> is negative or not finite.</exception>
    public static BackoffJitter Normal(double deviation)
    {
        if (!double.IsFinite(deviation) || deviation < 0)
            throw new ArgumentOutOfRangeException(nameof(deviation), deviation, "The deviation must be a finite fraction of at least 0.");
        return deviation == 0 ? None : new NormalJitter(deviation);
    }

    /// <summary>
    /// Twisted's <c>ClientService</c> jitter (<c>backoffPolicy()</c>): a random amount from zero up to
    /// (not including) <paramref name="max"/> is added to the computed delay; the next delay grows from the
    /// computed one, not from the jittered one.
    /// </summary>
    /// <param name="max">The largest amount added; Twisted's is one second (<c>random.random()</c>).</param>
    /// <returns>The jitter.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is negative.</exception>
    public static BackoffJitter Uniform(TimeSpan max)
    {
        if (max < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(max), max, "The jitter cannot be negative.");
        return max == TimeSpan.Zero ? None : new UniformJitter(max);
    }

    /// <summary>The jittered delay, in seconds, for a computed delay of <paramref name="seconds"/>.</summary>
    internal abstract double Apply(double seconds, Random random);

    /// <summary>Whether the next delay grows from the jittered delay (Twisted's factory) rather than the computed one.</summary>
    internal virtual bool Compounds => false;

    private sealed record NoJitter : BackoffJitter
    {
        internal override double Apply(double seconds, Random random) => seconds;

        public override string ToString() => "None";
    }

    private sealed record NormalJitter(double Deviation) : BackoffJitter
    {
        internal override bool Compounds => true;

        internal override double Apply(double seconds, Random random)
        {
            // Box-Muller: two uniform draws make one standard normal variate.
            double u1 = 1.0 - random.NextDouble(); // (0, 1], so the logarithm is finite
            double u2 = random.NextDouble();
            double z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            return seconds + (seconds * Deviation * z);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Normal({Deviation})");
    }

    private sealed record UniformJitter(TimeSpan Max) : BackoffJitter
    {
        internal override double Apply(double seconds, Random random) => seconds + (random.NextDouble() * Max.TotalSeconds);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Uniform({Max.TotalSeconds} s)");
    }
}
