using System.Reactive.Concurrency;

namespace RxNet.Sockets.Internal;

/// <summary>The <see cref="ReactorWork"/> of one <see cref="IScheduler"/> call: an action and its state.</summary>
internal sealed class ScheduledWork<TState> : ReactorWork
{
    private Func<IScheduler, TState, IDisposable>? _action;
    private TState _state;

    public ScheduledWork(ReactorLoop loop, TState state, Func<IScheduler, TState, IDisposable> action)
        : base(loop)
    {
        _state = state;
        _action = action;
    }

    protected override IDisposable Invoke()
    {
        try
        {
            return _action!(Loop, _state);
        }
        finally
        {
            Forget(); // an item that ran holds nothing: its owner may keep the disposable as long as it likes
        }
    }

    protected override void Forget()
    {
        _action = null;
        _state = default!;
    }
}
