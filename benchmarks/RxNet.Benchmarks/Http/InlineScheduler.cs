using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace RxNet.Benchmarks.Http;

/// <summary>A scheduler whose clock stands still: work due now runs at once on the caller's thread, timers are
/// accepted and never fire. Under it the server's timeouts (headers, keep-alive, data rates) are armed but do not
/// run, so a benchmark measures the exchange itself; what the real reactor's timer objects cost is not counted.</summary>
internal sealed class InlineScheduler : IScheduler
{
    public static readonly InlineScheduler Instance = new();

    public DateTimeOffset Now { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) => action(this, state);

    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) =>
        dueTime <= TimeSpan.Zero ? action(this, state) : Disposable.Empty;

    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
        Schedule(state, dueTime - Now, action);
}
