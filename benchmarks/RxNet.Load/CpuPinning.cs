using System.Globalization;
using System.Runtime.InteropServices;

namespace RxNet.Load;

/// <summary><c>--pin</c>: the server under test on CPU 0 and the whole driver on CPU 1, so that neither takes the
/// other's core and the server's figures do not depend on where the scheduler put the client's threads (the external
/// reference kit's <c>--pin</c> does the same with <c>taskset</c>). Linux only.</summary>
internal static class CpuPinning
{
    /// <summary>The CPU the servers run on.</summary>
    public const int ServerCpu = 0;

    /// <summary>The CPU the driver runs on.</summary>
    public const int DriverCpu = 1;

    /// <summary>What the report's header says of a pinned run.</summary>
    public static string Description => $"pinned: servers on CPU {ServerCpu}, the driver on CPU {DriverCpu}";

    /// <summary>Pins every thread of this process to <see cref="DriverCpu"/>; threads started later inherit it.</summary>
    /// <exception cref="FormatException">Not Linux, or fewer than two CPUs.</exception>
    public static unsafe void PinDriver()
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessorCount < 2)
            throw new FormatException($"--pin needs Linux and two CPUs or more (this machine has {Environment.ProcessorCount}).");
        var mask = stackalloc ulong[16];   // a cpu_set_t: 1024 CPUs
        mask[DriverCpu / 64] = 1UL << (DriverCpu % 64);
        // Twice: a thread started by a thread not yet pinned while the first pass ran is caught by the second.
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                var tid = int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);
                if (LibC.sched_setaffinity(tid, 16 * sizeof(ulong), mask) != 0 && Marshal.GetLastPInvokeError() != 3 /* ESRCH: it ended */)
                    throw new InvalidOperationException($"sched_setaffinity({tid}) failed: errno {Marshal.GetLastPInvokeError()}.");
            }
        }
    }

    /// <summary>The words that start a server's command on <see cref="ServerCpu"/>: <c>taskset</c> sets the
    /// affinity, then executes the command itself, so the process measured is still the server.</summary>
    public static IReadOnlyList<string> ServerPrefix { get; } = ["taskset", "-c", ServerCpu.ToString(CultureInfo.InvariantCulture)];
}
