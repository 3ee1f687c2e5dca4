namespace RxNet.Http;

/// <summary>
/// Whether a server connection wants input now: the demand signal it hands its input (true at first). The input is
/// its one subscriber; a second one replaces the first.
/// </summary>
/// <remarks>It stands for a <c>BehaviorSubject&lt;bool&gt;</c> at a fraction of its size (no lock object, no
/// observer array): every idle keep-alive connection holds one. <see cref="Set"/> is called by the connection's
/// serialized work only; the input subscribes before any delivery, so the two never race.</remarks>
internal sealed class InputDemand : IObservable<bool>, IDisposable
{
    private IObserver<bool>? _observer;
    private bool _wanted = true;

    public IDisposable Subscribe(IObserver<bool> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        Volatile.Write(ref _observer, observer);
        observer.OnNext(Volatile.Read(ref _wanted));
        return this;
    }

    /// <summary>Tells the subscriber of a change; a value equal to the last is not repeated.</summary>
    public void Set(bool wanted)
    {
        if (wanted == _wanted)
            return;
        Volatile.Write(ref _wanted, wanted);
        Volatile.Read(ref _observer)?.OnNext(wanted);
    }

    /// <summary>The input left: nothing more is told.</summary>
    public void Dispose() => Volatile.Write(ref _observer, null);
}
