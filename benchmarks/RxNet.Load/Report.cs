using System.Globalization;

namespace RxNet.Load;

/// <summary>The driver's output: one line per measurement, then, over the rounds, one line of medians per
/// scenario and server and one line of ratios per scenario and compared server. Every line is
/// <c>KIND SCENARIO SERVER key=value ...</c>, so <c>grep '^ratio'</c> or a split on spaces reads it.</summary>
internal static class Report
{
    /// <summary>The line of one measurement of round <paramref name="round"/>.</summary>
    public static string Run(int round, Measurement m) => Line($"run{round}", m.Scenario, m.Server, m.Figures);

    /// <summary>The medians over the rounds of one scenario against one server.</summary>
    public static Measurement Median(IReadOnlyList<Measurement> rounds)
    {
        var keys = rounds[0].Figures.Select(f => f.Key);
        return rounds[0] with
        {
            Figures = keys.Select(k => (k, Median(rounds.Select(r => r[k] ?? double.NaN)))).ToList(),
        };
    }

    /// <summary>The line of medians.</summary>
    public static string MedianLine(Measurement median) => Line("median", median.Scenario, median.Server, median.Figures);

    /// <summary>The line of ratios <paramref name="server"/> ÷ <paramref name="baseline"/> of every figure
    /// but the error count (above 1: more of it than the baseline; for rates that is better, for CPU, latency
    /// and memory worse).</summary>
    public static string RatioLine(Measurement server, Measurement baseline) =>
        Line("ratio", server.Scenario, $"{server.Server}/{baseline.Server}",
            server.Figures.Where(f => f.Key != "errors")
                .Select(f => (f.Key, f.Value / (baseline[f.Key] ?? double.NaN))).ToList());

    /// <summary>Writes the first error any worker described (a failed check says more than its count) to stderr.</summary>
    public static async Task FirstErrorAsync(Scenario scenario, ServerSpec server, IEnumerable<Tally> tallies)
    {
        if (tallies.Select(t => t.FirstError).FirstOrDefault(e => e is not null) is { } error)
            await Console.Error.WriteLineAsync($"RxNet.Load: {scenario.Name} against {server.Name}: {error}");
    }

    private static string Line(string kind, string scenario, string server, IEnumerable<(string Key, double Value)> figures) =>
        $"{kind,-7} {scenario,-14} {server,-22} " + string.Join(' ', figures.Select(f => $"{f.Key}={Format(f.Value)}"));

    private static string Format(double value) =>
        double.IsNaN(value) || double.IsInfinity(value) ? "-"
        : Math.Abs(value) >= 1000 || value == Math.Floor(value) ? value.ToString("0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 10 ? value.ToString("0.0", CultureInfo.InvariantCulture)
        : value.ToString("0.00#", CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
