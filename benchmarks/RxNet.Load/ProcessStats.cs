using System.Globalization;

namespace RxNet.Load;

/// <summary>What Linux says a process has used: CPU time from <c>/proc/PID/stat</c> and resident memory
/// from <c>/proc/PID/status</c>.</summary>
internal static class ProcessStats
{
    // USER_HZ: the unit of utime and stime, 100 on every Linux the runtime supports.
    private const double MicrosecondsPerClockTick = 1_000_000.0 / 100;

    /// <summary>User plus system CPU time of <paramref name="pid"/> so far, in microseconds.</summary>
    public static double CpuMicroseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may hold spaces and parentheses): state is field 3,
        // utime field 14, stime field 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * MicrosecondsPerClockTick;
    }

    /// <summary>Resident set size of <paramref name="pid"/> (VmRSS), in bytes.</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line.");
    }
}
