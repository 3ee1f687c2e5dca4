namespace RxNet.Specs.Policies;

/// <summary>
/// Twisted's two back-off schedules, transcribed from its Python so the specs can compute the expected
/// ticks without RxNet's <see cref="Backoff"/>: <c>ReconnectingClientFactory.retry()</c>
/// (twisted/internet/protocol.py) and <c>backoffPolicy()</c> (twisted/application/internet.py).
/// </summary>
/// <remarks>Python draws its normal variates with Kinderman-Monahan from a Mersenne Twister; RxNet documents
/// Box-Muller over <see cref="Random"/>, so a seed cannot replay Python's numbers, only RxNet's own.</remarks>
internal static class TwistedSchedules
{
    /// <summary>
    /// <code>
    /// self.delay = min(self.delay * self.factor, self.maxDelay)
    /// if self.jitter:
    ///     self.delay = random.normalvariate(self.delay, self.delay * self.jitter)
    /// </code>
    /// starting from <c>delay = initialDelay</c>; in ticks, each rounded to the nearest.
    /// </summary>
    public static IEnumerable<long> FactoryDelays(Random random, double initialDelay = 1.0, double factor = 2.7182818284590451,
        double maxDelay = 3600, double jitter = 0.11962656472)
    {
        double delay = initialDelay;
        while (true)
        {
            delay = Math.Min(delay * factor, maxDelay);
            if (jitter != 0)
                delay = Math.Max(0, NormalVariate(random, delay, delay * jitter));
            yield return Ticks(delay);
        }
    }

    /// <summary>
    /// <code>
    /// def policy(attempt):
    ///     delay = min(initialDelay * (factor ** min(100, attempt)), maxDelay)
    ///     return delay + jitter()
    /// </code>
    /// with <c>jitter = random.random</c>, for attempts 1, 2, 3, ... (ClientService counts failures from 1).
    /// </summary>
    public static IEnumerable<long> ClientServiceDelays(Random random, double initialDelay = 1.0, double maxDelay = 60.0, double factor = 1.5)
    {
        for (int attempt = 1; ; attempt++)
            yield return Ticks(Math.Min(initialDelay * Math.Pow(factor, Math.Min(100, attempt)), maxDelay) + random.NextDouble());
    }

    /// <summary>The start of each attempt when every attempt fails one <paramref name="latency"/> after it starts:
    /// attempt 0 at 0, attempt k at k latencies plus the first k delays.</summary>
    public static long[] AttemptTicks(IEnumerable<long> delays, int retries, long latency)
    {
        var starts = new long[retries + 1];
        using var delay = delays.GetEnumerator();
        for (int k = 1; k <= retries && delay.MoveNext(); k++)
            starts[k] = starts[k - 1] + latency + delay.Current;
        return starts;
    }

    private static double NormalVariate(Random random, double mu, double sigma)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return mu + (sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    private static long Ticks(double seconds) => (long)Math.Round(seconds * TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero);
}
