namespace RxNet.Load;

/// <summary>The load half of a scenario: workers started at once, counting only inside the measured
/// window, stopped at its end.</summary>
internal static class Workers
{
    /// <summary>Starts the tasks <paramref name="start"/> gives for each of <paramref name="count"/> tallies,
    /// waits out the warm-up and the window, then stops them and waits for them (at most
    /// <see cref="Timing.StepBound"/>).</summary>
    /// <returns>The window and each worker's tally.</returns>
    public static async Task<(MeasuredWindow Window, IReadOnlyList<Tally> Tallies)> RunAsync(ServerProcess server, Timing timing, int count,
        Func<int, Phase, Tally, CancellationToken, IEnumerable<Task>> start, CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var phase = new Phase();
        var tallies = Enumerable.Range(0, count).Select(_ => new Tally()).ToList();
        var workers = tallies.SelectMany((tally, i) => start(i, phase, tally, stop.Token)).ToList();
        try
        {
            var window = await MeasuredWindow.RunAsync(server, timing, phase, cancel);
            await stop.CancelAsync();
            await Task.WhenAll(workers).WaitAsync(Timing.StepBound, CancellationToken.None);
            return (window, tallies);
        }
        finally
        {
            await stop.CancelAsync();
        }
    }
}
