using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RxNet.Transport;

namespace RxNet.Operators.Internal;

/// <summary>Counts one write's overflows in the metrics and logs the first of them: a runaway source is visible
/// without a log line per dropped frame.</summary>
internal sealed partial class OverflowReport(WriteOptions options, object output)
{
    private readonly ConnectionMetrics _metrics = ConnectionMetrics.For(options.MeterFactory);
    private readonly ILogger _logger = options.Logger ?? LoggerOf(output);
    private int _logged;

    /// <summary>The logger of the connection behind <paramref name="output"/>, or a null logger when it has none.</summary>
    public static ILogger LoggerOf(object? output) => (output as ILoggingOutput)?.Logger ?? NullLogger.Instance;

    /// <summary>The output is being aborted with <paramref name="error"/>.</summary>
    public Exception Failed(Exception error)
    {
        _metrics.OutputOverflowed();
        if (Interlocked.Exchange(ref _logged, 1) == 0)
            Aborting(_logger, error, output);
        return error;
    }

    /// <summary>A drop policy dropped <paramref name="count"/> frames.</summary>
    public void Dropped(int count)
    {
        _metrics.FramesDropped(count, options.Overflow);
        if (Interlocked.Exchange(ref _logged, 1) == 0)
            Dropping(_logger, output, options.Overflow, options.Overflow == OverflowPolicy.KeepLatest ? 1 : options.MaxHeldFrames);
    }

    [LoggerMessage(1, LogLevel.Warning, "A source that cannot pause outran {Output}; the output is aborted")]
    private static partial void Aborting(ILogger logger, Exception error, object output);

    [LoggerMessage(2, LogLevel.Warning, "A source that cannot pause outran {Output}; frames are dropped ({Policy}, {Held} held at most); later drops are counted, not logged")]
    private static partial void Dropping(ILogger logger, object output, OverflowPolicy policy, int held);
}
