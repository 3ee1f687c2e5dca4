// RxNet's load driver: starts an echo or HTTP server from a command line, drives it over loopback TCP and
// reports what it served and what that cost the server (CPU time and memory read from /proc). `compare` runs
// the same scenarios against several servers, RxNet and a baseline (the plain .NET socket echo, or Kestrel
// for the HTTP scenarios) by default, and prints their ratios. Linux only (it reads /proc). See
// docs/benchmarks.md.
using System.CommandLine;
using RxNet.Load;

var server = new Option<string[]>("--server")
{
    Description = $"A server: NAME=cmd:COMMAND with {{port}} where the port goes (e.g. \"rxnet=cmd:dotnet EchoServer.dll --listen tcp:{{port}}\"), NAME=attach:PORT:PID for one already running (not started or stopped), or a built-in: {string.Join(", ", ServerSpec.PresetNames)}. Repeat for several.",
};
var baseline = new Option<string?>("--baseline") { Description = "compare: the server the others are divided by (default: the last --server)." };
var scenarios = new Option<string>("--scenarios") { Description = $"Comma-separated scenarios: ppSIZE-cN, streamSIZE-cN, idleN, connect-cN (echo); plaintext-cN, pipelined-cN, json-cN, echoSIZE-cN, http-idleN (HTTP; 'http' is {Scenario.HttpStandard}); ws-ppSIZE-cN, ws-streamSIZE-cN, ws-idleN, ws-connect-cN (WebSocket; 'ws' is {Scenario.WsStandard}).", DefaultValueFactory = _ => Scenario.Standard };
var warmup = new Option<double>("--warmup") { Description = "Seconds of load before each measured window (for idle: of quiet before the baseline).", DefaultValueFactory = _ => 1 };
var duration = new Option<double>("--duration") { Description = "Seconds each window measures (for idle: how long the connections stay open).", DefaultValueFactory = _ => 4 };
var pin = new Option<bool>("--pin") { Description = "Runs each server it starts on CPU 0 only (with taskset) and the driver on CPU 1 only, as the external reference kit's --pin does (Linux, two CPUs or more)." };
var rounds = new Option<int>("--rounds") { Description = "Rounds; each runs every scenario against every server, on a fresh server.", DefaultValueFactory = _ => 1 };

var run = new Command("run", "Runs the scenarios against one server (default: rxnet, or rxnet-http for HTTP scenarios).") { server, scenarios, warmup, duration, rounds, pin };
run.SetAction((result, cancel) => RunAsync(result, family => family switch { "http" => ["rxnet-http"], "ws" => ["rxnet-ws"], _ => ["rxnet"] }, compare: false, cancel));
var compare = new Command("compare", "Runs the scenarios against each server in turn, rounds alternating the order, and prints the ratios to the baseline (default servers: rxnet and baseline, rxnet-http and kestrel for HTTP scenarios, rxnet-ws and kestrel-ws for WebSocket scenarios).")
{
    server, baseline, scenarios, warmup, duration, rounds, pin,
};
compare.SetAction((result, cancel) => RunAsync(result, family => family switch
{
    "http" => ["rxnet-http", "kestrel"],
    "ws" => ["rxnet-ws", "kestrel-ws"],
    _ => ["rxnet", "baseline"],
}, compare: true, cancel));
var clientScenarios = new Option<string>("--scenarios") { Description = $"Comma-separated client scenarios get-cN: N workers, each sending GET /plaintext and checking its response, over at most N keep-alive connections.", DefaultValueFactory = _ => ClientDriver.Standard };
var clientServer = new Option<string>("--server") { Description = "The server the clients load (a preset or NAME=cmd:COMMAND, as for compare).", DefaultValueFactory = _ => "kestrel" };
var clients = new Command("clients", "Runs HTTP clients against one server (default: kestrel): RxNet's HttpAgent and HttpClient with SocketsHttpHandler, in turn, rounds alternating the order, and prints the ratios to HttpClient.")
{
    clientServer, clientScenarios, warmup, duration, rounds, pin,
};
clients.SetAction(async (result, cancel) =>
{
    try
    {
        var timing = new Timing(TimeSpan.FromSeconds(result.GetValue(warmup)), TimeSpan.FromSeconds(result.GetValue(duration)));
        if (timing.Warmup < TimeSpan.Zero || timing.Duration <= TimeSpan.Zero || result.GetValue(rounds) < 1)
            throw new FormatException("--warmup must be 0 or more, --duration and --rounds more than 0.");
        var names = result.GetValue(clientScenarios)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var spec = ServerSpec.Parse(result.GetValue(clientServer)!);
        Pin(result, [spec]);
        return await ClientDriver.RunAsync(spec, names, timing, result.GetValue(rounds), result.GetValue(pin), Console.Out, cancel);
    }
    catch (FormatException e)
    {
        await Console.Error.WriteLineAsync($"RxNet.Load: {e.Message}");
        return 2;
    }
});
var freePort = new Command("free-port", "Prints a free port on 127.0.0.1 (for scripts that start a server themselves and attach to it).");
freePort.SetAction(_ => Console.WriteLine(ServerProcess.FreePort()));
var root = new RootCommand("RxNet load driver: echo ping-pong, stream, idle memory and connection rate, and HTTP/1.1 plaintext, pipelined, JSON, echo and idle memory, over loopback TCP; and HTTP clients against one server.") { run, compare, clients, freePort };
return await root.Parse(args).InvokeAsync();

async Task<int> RunAsync(ParseResult result, Func<string, string[]> defaultServers, bool compare, CancellationToken cancel)
{
    try
    {
        var list = Scenario.ParseList(result.GetValue(scenarios)!);
        var given = result.GetValue(server) ?? [];
        if (given.Length == 0 && list.Select(s => s.Family).Distinct().Count() > 1)
            throw new FormatException("Echo, HTTP and WebSocket scenarios need different servers: run them apart, or name the servers with --server.");
        var servers = (given.Length > 0 ? given : defaultServers(list[0].Family)).Select(ServerSpec.Parse).ToList();
        if (servers.Select(s => s.Name).Distinct().Count() != servers.Count)
            throw new FormatException("Two servers have the same name: give each one as NAME=cmd:COMMAND.");
        if (!compare && servers.Count != 1)
            throw new FormatException("run takes one --server; compare takes several.");
        if (compare && servers.Count < 2)
            throw new FormatException("compare needs two servers or more.");
        var reference = !compare ? null
            : result.GetValue(baseline) is { } name ? servers.SingleOrDefault(s => s.Name == name) ?? throw new FormatException($"--baseline {name} is not one of the servers.")
            : servers[^1];
        var timing = new Timing(TimeSpan.FromSeconds(result.GetValue(warmup)), TimeSpan.FromSeconds(result.GetValue(duration)));
        if (timing.Warmup < TimeSpan.Zero || timing.Duration <= TimeSpan.Zero || result.GetValue(rounds) < 1)
            throw new FormatException("--warmup must be 0 or more, --duration and --rounds more than 0.");
        Pin(result, servers);
        return await Driver.RunAsync(servers, reference, list, timing, result.GetValue(rounds), result.GetValue(pin), Console.Out, cancel);
    }
    catch (FormatException e)
    {
        await Console.Error.WriteLineAsync($"RxNet.Load: {e.Message}");
        return 2;
    }
}

// With --pin, pins the driver now (every thread it starts later inherits the CPU); the servers are pinned as they start.
void Pin(ParseResult result, IEnumerable<ServerSpec> servers)
{
    if (!result.GetValue(pin))
        return;
    if (servers.FirstOrDefault(s => s.Attached is not null) is { } attached)
        throw new FormatException($"--pin starts the servers on CPU {CpuPinning.ServerCpu}, but {attached.Name} is attached: start it with taskset -c {CpuPinning.ServerCpu} yourself and leave out --pin.");
    CpuPinning.PinDriver();
}
