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

    /// <summary>What the first error was, when one says more than its count (a response that failed its check).</summary>
    public string? FirstError { get; set; }

    /// <summary>Each round's latency, in microseconds.</summary>
    public List<double> Latencies { get; } = [];

    /// <summary>Records one operation that started at <paramref name="startTimestamp"/> (a
    /// <see cref="Stopwatch"/> timestamp) and brought <paramref name="bytes"/> back.</summary>
    public void Add(long startTimestamp, long bytes) => Add(startTimestamp, bytes, 1);

    /// <summary>Records <paramref name="operations"/> operations completed together (a round of pipelined
    /// requests): one latency, since they were waited for as one.</summary>
    public void Add(long startTimestamp, long bytes, int operations)
    {
        Operations += operations;
        Bytes += bytes;
        Latencies.Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds);
    }
}
