using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace RxNet;

/// <summary>
/// How <c>WriteTo</c> bounds a source that cannot pause (a hot observable such as <c>Observable.Interval</c> or a
/// subject) while the output it writes to is not writable: how much it holds, what happens past that, and where the
/// overflow is counted and logged.
/// </summary>
/// <remarks>A source that can pause (a connection's <see cref="IConnection.Input"/>, any
/// <see cref="IPausableObservable{T}"/>) is paused instead, and none of this applies.</remarks>
public sealed record WriteOptions
{
    /// <summary>The default number of frames held: 1024.</summary>
    public const int DefaultMaxHeldFrames = 1024;

    /// <summary>The defaults: fail past 1 MiB of bytes or 1024 frames, process-wide meter, the connection's logger.</summary>
    public static WriteOptions Default { get; } = new();

    /// <summary>What happens past the limit; <see cref="OverflowPolicy.Fail"/> by default, and the only policy for
    /// bytes (a dropped chunk would corrupt the stream).</summary>
    public OverflowPolicy Overflow { get; init; } = OverflowPolicy.Fail;

    /// <summary>For a source of bytes: the most bytes held while the output is not writable;
    /// <see cref="ConnectionExtensions.DefaultMaxHeldInputBytes"/> (1 MiB) by default, sixteen times the default
    /// high-water mark.</summary>
    public int MaxHeldBytes { get; init; } = ConnectionExtensions.DefaultMaxHeldInputBytes;

    /// <summary>For a source of frames: the most frames held while the output is not writable;
    /// <see cref="DefaultMaxHeldFrames"/> by default. <see cref="OverflowPolicy.KeepLatest"/> holds one.</summary>
    public int MaxHeldFrames { get; init; } = DefaultMaxHeldFrames;

    /// <summary>The meter factory of the <see cref="RxNetMetrics.OutputOverflows"/> and
    /// <see cref="RxNetMetrics.OutputDropped"/> counters (a host's <c>IMeterFactory</c>); the process-wide
    /// <c>RxNet</c> meter when <see langword="null"/>.</summary>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>Where the first overflow of each write is logged (a warning); when <see langword="null"/>, the logger of
    /// the connection written to (its reactor's or simulated network's logger factory), so a runaway source is never silent.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive, or the policy is not defined.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxHeldBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxHeldFrames);
        if (!Enum.IsDefined(Overflow))
            throw new ArgumentOutOfRangeException(nameof(Overflow), Overflow, "Not an overflow policy.");
    }
}
