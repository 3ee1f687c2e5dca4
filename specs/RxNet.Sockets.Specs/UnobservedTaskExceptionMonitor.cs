using System.Collections.Concurrent;
using RxNet.Sockets.Specs;
using Xunit;

[assembly: AssemblyFixture(typeof(UnobservedTaskExceptionMonitor))]

namespace RxNet.Sockets.Specs;

/// <summary>
/// Fails the run if any task anywhere in the suite faulted with nobody observing it (no exception
/// may go unobserved): watches <see cref="TaskScheduler.UnobservedTaskException"/> for the
/// whole assembly, and at the end collects the garbage so that forgotten faulted tasks are finalized.
/// </summary>
public sealed class UnobservedTaskExceptionMonitor : IAsyncDisposable
{
    private readonly ConcurrentQueue<Exception> _unobserved = new();

    public UnobservedTaskExceptionMonitor() => TaskScheduler.UnobservedTaskException += OnUnobserved;

    public ValueTask DisposeAsync()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        TaskScheduler.UnobservedTaskException -= OnUnobserved;
        if (!_unobserved.IsEmpty)
        {
            throw new InvalidOperationException(
                $"{_unobserved.Count} task exception(s) went unobserved during the run: "
                + string.Join(" | ", _unobserved.Select(e => e.ToString())),
                new AggregateException(_unobserved));
        }
        return ValueTask.CompletedTask;
    }

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        _unobserved.Enqueue(e.Exception);
        e.SetObserved();
    }
}
