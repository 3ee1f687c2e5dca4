namespace RxNet.Load;

/// <summary>The figures of one scenario against one server, in the order the report prints them.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Server">The server's name.</param>
/// <param name="Figures">Each figure's key (with its unit, e.g. <c>msgs/s</c>, <c>cpu_us/msg</c>) and value.</param>
internal sealed record Measurement(string Scenario, string Server, IReadOnlyList<(string Key, double Value)> Figures)
{
    /// <summary>The value of <paramref name="key"/>, if measured.</summary>
    public double? this[string key] => Figures.Where(f => f.Key == key).Select(f => (double?)f.Value).FirstOrDefault();

    /// <summary>The figures of a load scenario: rate, bytes, latency percentiles, the server's CPU per
    /// operation, the driver's own CPU per operation, the server's RSS, errors.</summary>
    public static Measurement Load(Scenario scenario, ServerSpec server, string operation, MeasuredWindow window, IReadOnlyList<Tally> tallies)
    {
        var operations = tallies.Sum(t => t.Operations);
        var bytes = tallies.Sum(t => t.Bytes);
        var latencies = tallies.SelectMany(t => t.Latencies).Order().ToArray();
        var figures = new List<(string, double)>
        {
            ($"{operation}s/s", operations / window.Seconds),
            ("MB/s", bytes / window.Seconds / 1e6),
        };
        if (latencies.Length > 0)
        {
            figures.Add(("p50_us", Percentile(latencies, 0.50)));
            figures.Add(("p99_us", Percentile(latencies, 0.99)));
        }
        figures.Add(($"cpu_us/{operation}", operations == 0 ? double.NaN : window.CpuMicroseconds / operations));
        figures.Add(($"client_cpu_us/{operation}", operations == 0 ? double.NaN : window.ClientCpuMicroseconds / operations));
        figures.Add(("rss_MB", window.ResidentBytes / 1e6));
        figures.Add(("errors", tallies.Sum(t => t.Errors)));
        return new Measurement(scenario.Name, server.Name, figures);
    }

    // Nearest rank.
    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
