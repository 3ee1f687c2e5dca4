using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;

namespace RxNet;

/// <summary>What <see cref="TrafficLogExtensions"/> writes about each connection.</summary>
public sealed record TrafficLogOptions
{
    /// <summary>The defaults: a 64-byte preview, <see cref="LogLevel.Debug"/>, no timestamps, names from the endpoints.</summary>
    public static TrafficLogOptions Default { get; } = new();

    /// <summary>How many bytes of each chunk are shown, as escaped text; 64 by default, 0 for sizes only.
    /// Twisted's <c>lengthLimit</c>, but bounded by default: a log line never grows with the traffic.</summary>
    public int PreviewBytes { get; init; } = 64;

    /// <summary>The level of every entry written to an <see cref="ILogger"/>; <see cref="LogLevel.Debug"/> by default.</summary>
    public LogLevel Level { get; init; } = LogLevel.Debug;

    /// <summary>Stamps each line written to a <see cref="TextWriter"/> with this scheduler's time
    /// (<c>HH:mm:ss.fffffff</c>, as the simulated network's trace); none by default. An <see cref="ILogger"/>
    /// keeps its own timestamps.</summary>
    public IScheduler? Scheduler { get; init; }

    /// <summary>How the connection is named in each entry; by default <c>local&lt;-&gt;remote</c> from its
    /// endpoints (<c>server:8000&lt;-&gt;client:49152</c>), prefixed with <c>#n </c> by the listener operators.</summary>
    public string? Name { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PreviewBytes"/> is negative.</exception>
    public void Validate() => ArgumentOutOfRangeException.ThrowIfNegative(PreviewBytes, nameof(PreviewBytes));
}
