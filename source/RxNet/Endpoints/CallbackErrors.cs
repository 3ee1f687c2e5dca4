using System.Reactive.Concurrency;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace RxNet;

/// <summary>
/// How a reactor survives a callback that throws: Twisted logs an exception raised by a <c>callLater</c>
/// function (or any reactor callback) and keeps running; an <see cref="IScheduler"/> would let it escape and end
/// the process. Both built-in reactors wrap their scheduler with <see cref="CatchAndLog"/>; a reactor of your own can
/// too.
/// </summary>
public static partial class CallbackErrors
{
    private const string SourceKey = "RxNet.CallbackSource";

    /// <summary>Wraps <paramref name="scheduler"/> so that an exception escaping any work scheduled on it (a
    /// <c>CallLater</c> callback, a timer, an observer running under <c>ObserveOn</c>, the callable of a
    /// <c>LoopingCall</c> whose failure nobody observes) is logged with its source instead of ending the process.
    /// Built on Rx's <see cref="Scheduler.Catch{TException}(IScheduler, Func{TException, bool})"/>.</summary>
    /// <param name="scheduler">The scheduler to wrap: the reactor's event loop, or a <c>TestScheduler</c>.</param>
    /// <param name="logger">Where each failure is logged, as an error naming its source (<c>CallLater(00:00:05)
    /// Type.Method</c>, <c>LoopingCall Type.Method</c>, or <c>scheduled work</c> when the work was scheduled
    /// directly), with the exception.</param>
    /// <param name="observed">Also told of each failure after it is logged (a simulated network records them
    /// there); <see langword="null"/> for none.</param>
    /// <returns>The wrapping scheduler: the same clock, the same threads. Keep it and hand it out as the reactor's
    /// scheduler; wrapping twice logs once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scheduler"/> or <paramref name="logger"/> is null.</exception>
    /// <remarks>The work that threw is over; the rest of the scheduler's queue runs on. Periodic work that throws
    /// stops repeating (Rx's rule for <c>Catch</c>). Only what runs as scheduled work is caught: a callback run by a
    /// socket's I/O thread is the transport's to handle (a protocol's exception aborts its own connection).</remarks>
    public static IScheduler CatchAndLog(this IScheduler scheduler, ILogger logger, Action<Exception>? observed = null)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(logger);
        return scheduler.Catch<Exception>(error =>
        {
            LogCallbackFailed(logger, SourceOf(error), error);
            observed?.Invoke(error);
            return true;
        });
    }

    /// <summary>The source a failure was tagged with (see <see cref="Tag"/>), or <c>scheduled work</c>.</summary>
    internal static string SourceOf(Exception error) => error.Data[SourceKey] as string ?? "scheduled work";

    /// <summary>Records where <paramref name="error"/> came from, for the log line, without unwinding it: used as an
    /// exception filter (<c>catch (Exception e) when (CallbackErrors.Tag(e, ...))</c>), so the exception travels on
    /// with its own type and stack.</summary>
    /// <returns>Always <see langword="false"/>.</returns>
    internal static bool Tag(Exception error, string source)
    {
        if (!error.Data.Contains(SourceKey))
            error.Data[SourceKey] = source;
        return false;
    }

    /// <summary>A callback's name as a log reader finds it in the code: <c>DeclaringType.Method</c>.</summary>
    internal static string Describe(Delegate callback)
    {
        MethodInfo method = callback.Method;
        return method.DeclaringType is { } type ? $"{type.FullName}.{method.Name}" : method.Name;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "A reactor callback failed ({Source}); the reactor keeps running")]
    private static partial void LogCallbackFailed(ILogger logger, string source, Exception error);
}
