using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace RxNet.Load;

/// <summary>
/// The <c>clients</c> command: HTTP clients in this process against one server (the Kestrel baseline by default),
/// each scenario <c>get-cN</c> run once per client per round on a fresh server, the clients' order reversed every other
/// round. N workers loop: <c>GET /plaintext</c>, read and check the response, repeat, over at most N keep-alive
/// connections. Figures: <c>reqs/s</c>, <c>p50_us</c>/<c>p99_us</c>, <c>client_cpu_us/req</c> (this process's CPU,
/// the driver's own bookkeeping included, the same for every client), <c>server_cpu_us/req</c>, <c>errors</c>; the
/// ratio lines divide by <c>httpclient</c>.
/// </summary>
internal static partial class ClientDriver
{
    public const string Standard = "get-c1,get-c64";

    // The body buffer of each worker: Hello, World! and room to notice a longer body.
    private const int BufferSize = 64;

    public static async Task<int> RunAsync(ServerSpec server, IReadOnlyList<string> scenarios, Timing timing, int rounds, bool pin, TextWriter output, CancellationToken cancel)
    {
        var parsed = scenarios.Select(Parse).ToList();
        string[] clients = ["rxnet-agent", "httpclient"];
        var results = new Dictionary<(string Scenario, string Client), List<Measurement>>();
        var failed = false;
        await output.WriteLineAsync($"# RxNet.Load clients: {rounds} round(s), {timing.Warmup.TotalSeconds} s warm-up, {timing.Duration.TotalSeconds} s measured; " +
            $"server {server.Name} = {server.Command}; {(pin ? CpuPinning.Description + "; " : "")}clients rxnet-agent (HttpAgent), httpclient (HttpClient + SocketsHttpHandler)");
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (name, connections) in parsed)
            {
                foreach (var client in round % 2 == 1 ? clients : clients.Reverse())
                {
                    cancel.ThrowIfCancellationRequested();
                    try
                    {
                        var measurement = await RunOnceAsync(name, connections, client, server, timing, pin, cancel);
                        failed |= measurement["errors"] > 0;
                        await output.WriteLineAsync(Report.Run(round, measurement));
                        if (!results.TryGetValue((name, client), out var list))
                            results[(name, client)] = list = [];
                        list.Add(measurement);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
                    {
                        failed = true;
                        await output.WriteLineAsync($"failed  {name,-14} {client,-22} {e.GetType().Name}: {e.Message}");
                    }
                }
            }
        }
        foreach (var (name, _) in parsed)
        {
            var medians = clients.Where(c => results.ContainsKey((name, c))).ToDictionary(c => c, c => Report.Median(results[(name, c)]));
            foreach (var median in medians.Values)
                await output.WriteLineAsync(Report.MedianLine(median));
            if (medians.TryGetValue("rxnet-agent", out var agent) && medians.TryGetValue("httpclient", out var baseline))
                await output.WriteLineAsync(Report.RatioLine(agent, baseline));
        }
        return failed ? 1 : 0;
    }

    private static (string Name, int Connections) Parse(string name) =>
        Get().Match(name) is { Success: true } match
            ? (name, int.Parse(match.Groups["conns"].Value, CultureInfo.InvariantCulture))
            : throw new FormatException($"'{name}' is not a client scenario: get-cN (N workers and at most N connections), e.g. {Standard}.");

    private static async Task<Measurement> RunOnceAsync(string scenario, int connections, string kind, ServerSpec spec, Timing timing, bool pin, CancellationToken cancel)
    {
        using var server = await ServerProcess.StartAsync(spec, pin);
        using ILoadClient client = kind == "httpclient" ? new SocketsLoadClient(server.Port, connections) : new AgentLoadClient(server.Port, connections);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var phase = new Phase();
        var tallies = Enumerable.Range(0, connections).Select(_ => new Tally()).ToList();
        var workers = tallies.Select(tally => Task.Run(() => LoopAsync(client, phase, tally, stop.Token), CancellationToken.None)).ToList();
        try
        {
            await Task.Delay(timing.Warmup, cancel);
            var serverCpu = ProcessStats.CpuMicroseconds(server.Pid);
            var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            phase.StartMeasuring();
            await Task.Delay(timing.Duration, cancel);
            phase.Stop();
            var seconds = clock.Elapsed.TotalSeconds;
            var clientMicroseconds = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalMicroseconds;
            var serverMicroseconds = ProcessStats.CpuMicroseconds(server.Pid) - serverCpu;
            await stop.CancelAsync();
            await Task.WhenAll(workers).WaitAsync(Timing.StepBound, CancellationToken.None);
            if (tallies.Select(t => t.FirstError).FirstOrDefault(e => e is not null) is { } error)
                await Console.Error.WriteLineAsync($"RxNet.Load: {scenario} with {kind}: {error}");
            var requests = tallies.Sum(t => t.Operations);
            var latencies = tallies.SelectMany(t => t.Latencies).Order().ToArray();
            return new Measurement(scenario, kind,
            [
                ("reqs/s", requests / seconds),
                ("p50_us", latencies.Length == 0 ? double.NaN : Percentile(latencies, 0.50)),
                ("p99_us", latencies.Length == 0 ? double.NaN : Percentile(latencies, 0.99)),
                ("client_cpu_us/req", requests == 0 ? double.NaN : clientMicroseconds / requests),
                ("server_cpu_us/req", requests == 0 ? double.NaN : serverMicroseconds / requests),
                ("errors", tallies.Sum(t => t.Errors)),
            ]);
        }
        finally
        {
            phase.Stop();
            await stop.CancelAsync();
        }
    }

    private static async Task LoopAsync(ILoadClient client, Phase phase, Tally tally, CancellationToken stop)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (!phase.Stopped)
            {
                var start = Stopwatch.GetTimestamp();
                var length = await client.GetAsync(buffer, stop);
                if (phase.Measuring)
                    tally.Add(start, length);
            }
        }
        catch (OperationCanceledException)
        {
            // The window is over.
        }
#pragma warning disable CA1031 // a failed request is counted and ends its worker; the run reports it
        catch (Exception e)
#pragma warning restore CA1031
        {
            tally.Errors++;
            tally.FirstError ??= $"{e.GetType().Name}: {e.Message}";
        }
    }

    // Nearest rank, as Measurement's.
    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    [GeneratedRegex(@"^get-c(?<conns>\d+)$")]
    private static partial Regex Get();
}
