namespace RxNet;

/// <summary>Flow-control limits of one connection, shared by every transport.</summary>
/// <remarks>Defaults follow System.IO.Pipelines: pause at 64 KiB, resume at 32 KiB.</remarks>
public sealed record ConnectionOptions
{
    /// <summary>The defaults: high-water mark 64 KiB, low-water mark 32 KiB.</summary>
    public static ConnectionOptions Default { get; } = new();

    /// <summary>Pending output above which the output is not writable and the connection's own input pauses.</summary>
    public int HighWaterMark { get; init; } = 64 * 1024;

    /// <summary>Pending output below which the output is writable again and input resumes.</summary>
    public int LowWaterMark { get; init; } = 32 * 1024;

    /// <summary>Checks that the limits make sense together.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A mark is negative, or the low mark is above the high one.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(LowWaterMark);
        ArgumentOutOfRangeException.ThrowIfLessThan(HighWaterMark, LowWaterMark);
    }
}
