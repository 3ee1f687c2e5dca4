namespace RxNet.Load;

/// <summary>Runs every scenario against every server for a number of rounds, each run on a freshly started
/// server, alternating the servers' order from round to round so that neither always runs first; prints
/// each run, then the medians and the ratios to the baseline.</summary>
internal static class Driver
{
    /// <summary>Runs and reports; returns 0, or 1 if any run failed or saw errors.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<ServerSpec> servers, ServerSpec? baseline, IReadOnlyList<Scenario> scenarios,
        Timing timing, int rounds, bool pin, TextWriter output, CancellationToken cancel)
    {
        var results = new Dictionary<(string Scenario, string Server), List<Measurement>>();
        var failed = false;
        await output.WriteLineAsync($"# RxNet.Load: {rounds} round(s), {timing.Warmup.TotalSeconds} s warm-up, {timing.Duration.TotalSeconds} s measured; " +
            string.Join(", ", servers.Select(s => s.Attached is var (port, pid) ? $"{s.Name} = attached to port {port}, pid {pid}" : $"{s.Name} = {s.Command}")) +
            (pin ? $"; {CpuPinning.Description}" : ""));
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var scenario in scenarios)
            {
                foreach (var spec in round % 2 == 1 ? servers : servers.Reverse())
                {
                    cancel.ThrowIfCancellationRequested();
                    try
                    {
                        var measurement = await RunOnceAsync(scenario, spec, timing, pin, cancel);
                        failed |= measurement["errors"] > 0;
                        await output.WriteLineAsync(Report.Run(round, measurement));
                        if (!results.TryGetValue((scenario.Name, spec.Name), out var list))
                            results[(scenario.Name, spec.Name)] = list = [];
                        list.Add(measurement);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
                    {
                        failed = true;
                        await output.WriteLineAsync($"failed  {scenario.Name,-14} {spec.Name,-22} {e.GetType().Name}: {e.Message}");
                    }
                }
            }
        }

        foreach (var scenario in scenarios)
        {
            var medians = servers.Where(s => results.ContainsKey((scenario.Name, s.Name)))
                .ToDictionary(s => s.Name, s => Report.Median(results[(scenario.Name, s.Name)]));
            foreach (var median in medians.Values)
                await output.WriteLineAsync(Report.MedianLine(median));
            if (baseline is null || !medians.TryGetValue(baseline.Name, out var reference))
                continue;
            foreach (var median in medians.Values.Where(m => m.Server != baseline.Name))
                await output.WriteLineAsync(Report.RatioLine(median, reference));
        }
        return failed ? 1 : 0;
    }

    private static async Task<Measurement> RunOnceAsync(Scenario scenario, ServerSpec spec, Timing timing, bool pin, CancellationToken cancel)
    {
        using var server = await ServerProcess.StartAsync(spec, pin);
        return scenario.Kind switch
        {
            ScenarioKind.WsPingPong or ScenarioKind.WsStream or ScenarioKind.WsIdle or ScenarioKind.WsConnect => await WsScenario.RunAsync(scenario, spec, server, timing, cancel),
            ScenarioKind.PingPong => await PingPongScenario.RunAsync(scenario, spec, server, timing, cancel),
            ScenarioKind.Stream => await StreamScenario.RunAsync(scenario, spec, server, timing, cancel),
            ScenarioKind.Idle or ScenarioKind.HttpIdle => await IdleScenario.RunAsync(scenario, spec, server, timing, cancel),
            ScenarioKind.Plaintext or ScenarioKind.Pipelined or ScenarioKind.Json or ScenarioKind.Echo => await HttpScenario.RunAsync(scenario, spec, server, timing, cancel),
            _ => await ConnectScenario.RunAsync(scenario, spec, server, timing, cancel),
        };
    }
}
