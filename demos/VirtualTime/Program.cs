// RxNet's killer feature, runnable: whole conversations on a simulated network in virtual time.
//   1. The seed's echo server (Twisted style) and echo client (Rx style), unchanged protocol code.
//   2. One simulated hour of a heartbeat line protocol: the client sends a line every 30 s, the
//      server echoes it and drops connections idle for 60 s, the link is partitioned from minute 10
//      to minute 20, and the client reconnects with exponential back-off (seeded jitter).
// Prints every network event and protocol decision with its virtual time, then the wall time taken.
// The same --seed prints the same trace, byte for byte.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Reactive.Testing;
using RxNet.Testing;

var seed = new Option<int>("--seed") { Description = "The seed of every random choice: re-chunking and back-off jitter.", DefaultValueFactory = _ => 1 };
var command = new RootCommand("Runs an echo and one simulated hour of a heartbeat protocol on RxNet's simulated network.") { seed };
command.SetAction(result =>
{
    int s = result.GetValue(seed);
    var wall = Stopwatch.StartNew();

    Console.WriteLine("== The seed's echo on the simulated network ==");
    var echo = new Timeline(new SimulatedNetwork(new TestScheduler(), s));
    SeedEcho.Run(echo);
    echo.Print(Console.Out);

    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"== One simulated hour: heartbeat every 30 s, idle drop after 60 s, partition 00:10-00:20, reconnect with back-off (seed {s}) =="));
    var hour = new Timeline(new SimulatedNetwork(new TestScheduler(), s));
    var simulated = Heartbeats.Run(hour, s, TimeSpan.FromHours(1));
    hour.Print(Console.Out);

    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"simulated {simulated:c} in {wall.Elapsed.TotalMilliseconds:F0} ms of wall time"));
    return 0;
});
return command.Parse(args).Invoke();
