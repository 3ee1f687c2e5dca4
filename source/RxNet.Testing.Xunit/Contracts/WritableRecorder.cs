using System.Reactive;
using System.Reactive.Subjects;

namespace RxNet.Testing.Contracts;

/// <summary>Records every value of an output's <see cref="IConnectionOutput.Writable"/>, and latches
/// the moments the world may be run until: the first <see langword="false"/>, and completion.</summary>
#pragma warning disable CA1001 // the subjects hold no unmanaged state; they complete with the recorder's events
internal sealed class WritableRecorder : IObserver<bool>
#pragma warning restore CA1001
{
    private readonly Lock _lock = new();
    private readonly List<bool> _values = [];
    private readonly AsyncSubject<Unit> _wentFalse = new();
    private readonly AsyncSubject<Unit> _trueAgain = new();
    private readonly AsyncSubject<Unit> _completed = new();

    /// <summary>Emits once <see cref="IConnectionOutput.Writable"/> has been <see langword="false"/>; replays.</summary>
    public IObservable<Unit> WentFalse => _wentFalse;

    /// <summary>Emits once <see cref="IConnectionOutput.Writable"/> has been <see langword="true"/> after a
    /// <see langword="false"/>; replays. (Wait on this rather than on a new subscription to
    /// <c>Writable</c>, which may hear of a change before this recorder does.)</summary>
    public IObservable<Unit> TurnedTrueAgain => _trueAgain;

    /// <summary>Emits once <see cref="IConnectionOutput.Writable"/> has completed; replays.</summary>
    public IObservable<Unit> WhenCompleted => _completed;

    /// <summary>Whether a <see langword="false"/> was seen.</summary>
    public bool HasGoneFalse
    {
        get
        {
            lock (_lock)
                return _values.Contains(false);
        }
    }

    /// <summary>The values seen, in order.</summary>
    public List<bool> Values
    {
        get
        {
            lock (_lock)
                return [.. _values];
        }
    }

    /// <summary>Starts recording <paramref name="output"/>'s writability.</summary>
    public static WritableRecorder Of(IConnectionOutput output)
    {
        var recorder = new WritableRecorder();
        output.Writable.Subscribe(recorder);
        return recorder;
    }

    public void OnNext(bool value)
    {
        bool trueAgain;
        lock (_lock)
        {
            trueAgain = value && _values.Contains(false);
            _values.Add(value);
        }
        var latch = value ? (trueAgain ? _trueAgain : null) : _wentFalse;
        latch?.OnNext(Unit.Default);
        latch?.OnCompleted();
    }

    public void OnError(Exception error) => OnCompleted();

    public void OnCompleted()
    {
        _completed.OnNext(Unit.Default);
        _completed.OnCompleted();
    }
}
