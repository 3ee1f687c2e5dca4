using Xunit;

namespace RxNet.Specs.Policies;

/// <summary>
/// <see cref="Backoff"/>'s delays, to the tick: Twisted's two presets with and without jitter, the cap, the
/// retry limit, seeded jitter, and the settings it refuses.
/// </summary>
public sealed class BackoffSpecs
{
    private const long S = TimeSpan.TicksPerSecond;

    [Fact]
    public void Backoff_TwistedPreset_HasReconnectingClientFactorysDefaults()
    {
        var twisted = Backoff.Twisted;

        Assert.Equal(TimeSpan.FromSeconds(1), twisted.InitialDelay);
        Assert.Equal(2.7182818284590451, twisted.Factor);
        Assert.Equal(TimeSpan.FromSeconds(3600), twisted.MaxDelay);
        Assert.Equal(BackoffJitter.Normal(0.11962656472), twisted.Jitter);
        Assert.Null(twisted.MaxRetries);
    }

    [Fact]
    public void Backoff_ClientServicePreset_HasBackoffPolicysDefaults()
    {
        var service = Backoff.ClientService;

        Assert.Equal(TimeSpan.FromSeconds(1), service.InitialDelay);
        Assert.Equal(1.5, service.Factor);
        Assert.Equal(TimeSpan.FromSeconds(60), service.MaxDelay);
        Assert.Equal(BackoffJitter.Uniform(TimeSpan.FromSeconds(1)), service.Jitter);
        Assert.Null(service.MaxRetries);
    }

    [Fact]
    public void Backoff_ClientServiceWithoutJitter_WaitsOnePointFiveToTheAttemptUntilTheMinuteCap()
    {
        var delays = (Backoff.ClientService with { Jitter = BackoffJitter.None }).Delays().Take(13).Select(d => d.Ticks);

        // 1.5 s, 2.25 s, 3.375 s, 5.0625 s, 7.59375 s, 11.390625 s, 17.0859375 s, 25.62890625 s (a half tick,
        // rounded up), 38.443359375 s, 57.6650390625 s, then the 60 s cap.
        Assert.Equal([
            15_000_000, 22_500_000, 33_750_000, 50_625_000, 75_937_500, 113_906_250, 170_859_375,
            256_289_063, 384_433_594, 576_650_391, 60 * S, 60 * S, 60 * S], delays);
    }

    [Fact]
    public void Backoff_TwistedWithoutJitter_GrowsByEUntilTheHourCap()
    {
        var delays = (Backoff.Twisted with { Jitter = BackoffJitter.None }).Delays().Take(10).Select(d => d.Ticks);

        // e, e², ... e⁸ = 2980.96 s, then 3600 s.
        Assert.Equal([
            27_182_818, 73_890_561, 200_855_369, 545_981_500, 1_484_131_591, 4_034_287_935, 10_966_331_584,
            29_809_579_870, 3600 * S, 3600 * S], delays);
    }

    [Fact]
    public void Backoff_TwistedSeeded_DrawsTwistedsFactoryScheduleFromTheSeed()
    {
        var delays = Backoff.Twisted.Delays(new Random(42)).Take(15).Select(d => d.Ticks);

        Assert.Equal(TwistedSchedules.FactoryDelays(new Random(42)).Take(15), delays);
    }

    [Fact]
    public void Backoff_ClientServiceSeeded_AddsUpToASecondToEachPolicyDelay()
    {
        long[] delays = [.. Backoff.ClientService.Delays(new Random(42)).Take(15).Select(d => d.Ticks)];
        long[] bases = [.. (Backoff.ClientService with { Jitter = BackoffJitter.None }).Delays().Take(15).Select(d => d.Ticks)];

        Assert.Equal(TwistedSchedules.ClientServiceDelays(new Random(42)).Take(15), delays);
        Assert.All(delays.Zip(bases), pair => Assert.InRange(pair.First, pair.Second, pair.Second + S));
    }

    [Fact]
    public void Backoff_SameSeed_SameDelaysAndAnotherSeedOthers()
    {
        long[] Draw(int seed) => [.. Backoff.Twisted.Delays(new Random(seed)).Take(8).Select(d => d.Ticks)];

        Assert.Equal(Draw(7), Draw(7));
        Assert.NotEqual(Draw(7), Draw(8));
    }

    [Fact]
    public void Backoff_TwistedJitter_SpreadsEachDelayByTwistedsDeviation()
    {
        var random = new Random(1);
        double[] first = [.. Enumerable.Range(0, 20_000).Select(_ => Backoff.Twisted.Delays(random).First().TotalSeconds)];

        double mean = first.Average();
        double deviation = Math.Sqrt(first.Sum(d => (d - mean) * (d - mean)) / first.Length);
        Assert.InRange(mean, Math.E - 0.01, Math.E + 0.01);
        Assert.InRange(deviation / Math.E, 0.11962656472 * 0.97, 0.11962656472 * 1.03);
    }

    [Fact]
    public void Backoff_MaxRetries_EndsTheDelaysAfterThatMany()
    {
        Assert.Equal(4, (Backoff.ClientService with { MaxRetries = 4 }).Delays().Count());
        Assert.Empty((Backoff.Twisted with { MaxRetries = 0 }).Delays());
    }

    [Fact]
    public void Backoff_ZeroInitialDelay_WaitsOnlyTheJitter()
    {
        var delays = (Backoff.ClientService with { InitialDelay = TimeSpan.Zero }).Delays(new Random(3)).Take(5);

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Backoff_InvalidSettings_AreRefusedWhenSet()
    {
        var one = TimeSpan.FromSeconds(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(one, 0.5, one));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(one, double.NaN, one));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(one, double.PositiveInfinity, one));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(-one, 2, one));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(one, 2, -one));
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Twisted with { MaxRetries = -1 });
        Assert.Throws<ArgumentNullException>(() => Backoff.Twisted with { Jitter = null! });
        Assert.Throws<ArgumentOutOfRangeException>(() => BackoffJitter.Normal(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BackoffJitter.Normal(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => BackoffJitter.Uniform(-one));
    }
}
