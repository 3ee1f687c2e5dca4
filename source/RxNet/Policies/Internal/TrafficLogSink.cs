using System.Globalization;
using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;

namespace RxNet.Policies.Internal;

/// <summary>Where a <see cref="TrafficLogConnection"/> writes its entries.</summary>
internal abstract class TrafficLogSink
{
    /// <summary>Whether entries are written at all (a logger below its level skips the previews).</summary>
    public abstract bool IsEnabled { get; }

    public abstract void Opened(string connection);

    public abstract void Received(string connection, int count, string preview);

    public abstract void Sent(string connection, int count, string preview);

    public abstract void InputCompleted(string connection);

    public abstract void InputFailed(string connection, string error);

    public abstract void OutputCompleted(string connection);

    public abstract void OutputFailed(string connection, string error);

    public abstract void Disposed(string connection);

    public abstract void Closed(string connection, string reason);
}

/// <summary>Entries as structured <see cref="ILogger"/> messages.</summary>
internal sealed partial class LoggerTrafficSink(ILogger logger, LogLevel level) : TrafficLogSink
{
    public override bool IsEnabled => logger.IsEnabled(level);

    public override void Opened(string connection) => LogOpened(logger, level, connection);

    public override void Received(string connection, int count, string preview) => LogReceived(logger, level, connection, count, preview);

    public override void Sent(string connection, int count, string preview) => LogSent(logger, level, connection, count, preview);

    public override void InputCompleted(string connection) => LogInputCompleted(logger, level, connection);

    public override void InputFailed(string connection, string error) => LogInputFailed(logger, level, connection, error);

    public override void OutputCompleted(string connection) => LogOutputCompleted(logger, level, connection);

    public override void OutputFailed(string connection, string error) => LogOutputFailed(logger, level, connection, error);

    public override void Disposed(string connection) => LogDisposed(logger, level, connection);

    public override void Closed(string connection, string reason) => LogClosed(logger, level, connection, reason);

    [LoggerMessage(EventId = 1, Message = "{Connection} open")]
    private static partial void LogOpened(ILogger logger, LogLevel level, string connection);

    [LoggerMessage(EventId = 2, Message = "{Connection} in {Count} bytes {Preview}")]
    private static partial void LogReceived(ILogger logger, LogLevel level, string connection, int count, string preview);

    [LoggerMessage(EventId = 3, Message = "{Connection} out {Count} bytes {Preview}")]
    private static partial void LogSent(ILogger logger, LogLevel level, string connection, int count, string preview);

    [LoggerMessage(EventId = 4, Message = "{Connection} in FIN")]
    private static partial void LogInputCompleted(ILogger logger, LogLevel level, string connection);

    [LoggerMessage(EventId = 5, Message = "{Connection} in failed {Error}")]
    private static partial void LogInputFailed(ILogger logger, LogLevel level, string connection, string error);

    [LoggerMessage(EventId = 6, Message = "{Connection} out FIN")]
    private static partial void LogOutputCompleted(ILogger logger, LogLevel level, string connection);

    [LoggerMessage(EventId = 7, Message = "{Connection} out abort {Error}")]
    private static partial void LogOutputFailed(ILogger logger, LogLevel level, string connection, string error);

    [LoggerMessage(EventId = 8, Message = "{Connection} abort")]
    private static partial void LogDisposed(ILogger logger, LogLevel level, string connection);

    [LoggerMessage(EventId = 9, Message = "{Connection} closed {Reason}")]
    private static partial void LogClosed(ILogger logger, LogLevel level, string connection, string reason);
}

/// <summary>Entries as lines of text, optionally stamped with a scheduler's time; a whole line at a time, flushed.</summary>
internal sealed class WriterTrafficSink(TextWriter writer, IScheduler? scheduler) : TrafficLogSink
{
    public override bool IsEnabled => true;

    public override void Opened(string connection) => Line($"{connection} open");

    public override void Received(string connection, int count, string preview) => Line($"{connection} in {count} bytes {preview}".TrimEnd());

    public override void Sent(string connection, int count, string preview) => Line($"{connection} out {count} bytes {preview}".TrimEnd());

    public override void InputCompleted(string connection) => Line($"{connection} in FIN");

    public override void InputFailed(string connection, string error) => Line($"{connection} in failed {error}");

    public override void OutputCompleted(string connection) => Line($"{connection} out FIN");

    public override void OutputFailed(string connection, string error) => Line($"{connection} out abort {error}");

    public override void Disposed(string connection) => Line($"{connection} abort");

    public override void Closed(string connection, string reason) => Line($"{connection} closed {reason}");

    private void Line(FormattableString entry) => Line(entry.ToString(CultureInfo.InvariantCulture));

    private void Line(string text)
    {
        if (scheduler is not null)
            text = scheduler.Now.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + " " + text;
        lock (writer)
        {
            writer.WriteLine(text);
            writer.Flush();
        }
    }
}
