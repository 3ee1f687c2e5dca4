using System.Diagnostics;

namespace RxNet.Load;

/// <summary>What one worker counted inside the measured window; each worker has its own, so counting
/// takes no lock.</summary>
internal sealed class Tally
{
    /// <summary>Messages, chunks or connections completed.</summary>
    public long Operations { get; set; }

    /// <summary>Bytes received back.</summary>
    public long Bytes { get; set; }

    /// <summary>Socket errors (resets, refusals, unexpected ends) seen at any time.</summary>
    public int Errors { get; set; }

    /// <summary>Each operation's latency, in microseconds.</summary>
    public List<double> Latencies { get; } = [];

    /// <summary>Records one operation that started at <paramref name="startTimestamp"/> (a
    /// <see cref="Stopwatch"/> timestamp) and brought <paramref name="bytes"/> back.</summary>
    public void Add(long startTimestamp, long bytes)
    {
        Operations++;
        Bytes += bytes;
        Latencies.Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds);
    }
}
