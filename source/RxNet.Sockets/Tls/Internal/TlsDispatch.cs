using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// Where the TLS layer runs its own work (resuming a read or write, the input's pump, a drain of the output): the
/// thread pool, or the options' scheduler. On a <c>TestScheduler</c> every step is then a scheduled item, and
/// SslStream, whose work is synchronous once its stream completes, runs inside those items: the handshake and every
/// record happen in virtual time.
/// </summary>
internal sealed class TlsDispatch
{
    public static readonly TlsDispatch ThreadPool = new(null);

    private readonly IScheduler? _scheduler;

    private TlsDispatch(IScheduler? scheduler) => _scheduler = scheduler;

    public IScheduler? Scheduler => _scheduler;

    public static TlsDispatch For(IScheduler? scheduler) => scheduler is null ? ThreadPool : new TlsDispatch(scheduler);

    public void Post(Action work)
    {
        if (_scheduler is null)
            System.Threading.ThreadPool.UnsafeQueueUserWorkItem(static w => w(), work, preferLocal: false);
        else
            _scheduler.Schedule(work);
    }

    /// <summary>Runs <paramref name="work"/> (an input's pump, an output's drain) soon, never inline.</summary>
    public void Post(IThreadPoolWorkItem work)
    {
        if (_scheduler is null)
            System.Threading.ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);
        else
            _scheduler.Schedule(work, static (_, w) =>
            {
                w.Execute();
                return Disposable.Empty;
            });
    }
}
