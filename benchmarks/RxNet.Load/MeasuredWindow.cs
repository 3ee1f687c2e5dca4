using System.Diagnostics;

namespace RxNet.Load;

/// <summary>The measured window of a load scenario and what the server spent in it.</summary>
/// <param name="Seconds">How long the window lasted.</param>
/// <param name="CpuMicroseconds">The server's user plus system CPU time in the window.</param>
/// <param name="ResidentBytes">The server's RSS at the end of the window.</param>
/// <param name="ClientCpuMicroseconds">The driver's own CPU time in the window (its load threads and everything else
/// it runs), to see whether the client could have been what limited the rate.</param>
internal sealed record MeasuredWindow(double Seconds, double CpuMicroseconds, long ResidentBytes, double ClientCpuMicroseconds)
{
    /// <summary>Waits out the warm-up, then opens <paramref name="phase"/>'s window for the duration and
    /// reads the server's CPU time around it.</summary>
    public static async Task<MeasuredWindow> RunAsync(ServerProcess server, Timing timing, Phase phase, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(timing.Warmup, cancel);
            var cpu = ProcessStats.CpuMicroseconds(server.Pid);
            var clientCpu = ProcessStats.CpuMicroseconds(Environment.ProcessId);
            var clock = Stopwatch.StartNew();
            phase.StartMeasuring();
            await Task.Delay(timing.Duration, cancel);
            phase.Stop();
            var seconds = clock.Elapsed.TotalSeconds;
            return new MeasuredWindow(seconds, ProcessStats.CpuMicroseconds(server.Pid) - cpu, ProcessStats.ResidentBytes(server.Pid),
                ProcessStats.CpuMicroseconds(Environment.ProcessId) - clientCpu);
        }
        finally
        {
            phase.Stop();
        }
    }
}
