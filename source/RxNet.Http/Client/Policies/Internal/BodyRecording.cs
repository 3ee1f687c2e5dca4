using System.Reactive.Linq;

namespace RxNet.Http.Client.Policies.Internal;

/// <summary>
/// What a redirect needs to know of a request body it may send again: whether the agent ever read it, and, when it
/// read it whole and it was small enough, its bytes. <see cref="Wrap"/> makes the body that records, keeping the
/// source's ability to pause.
/// </summary>
/// <remarks>Chunks are kept by reference (a chunk handed to <c>OnNext</c> never changes afterwards), up to the limit;
/// past it, the recording is dropped. Notifications come from the agent's threads, reads of the state from the
/// redirect's, hence the lock.</remarks>
internal sealed class BodyRecording(long limit)
{
    private readonly Lock _gate = new();
    private List<ReadOnlyMemory<byte>>? _chunks = [];
    private long _size;
    private State _state;

    private enum State
    {
        NotStarted,
        Recording,
        Recorded,
        Lost,
    }

    /// <summary>Whether nobody subscribed to the body: the source is still whole and can be sent as it is.</summary>
    public bool NeverRead
    {
        get
        {
            lock (_gate)
                return _state == State.NotStarted;
        }
    }

    /// <summary>The body, recording what the agent reads of it.</summary>
    public IObservable<ReadOnlyMemory<byte>> Wrap(IObservable<ReadOnlyMemory<byte>> source) =>
        source is IPausableObservable<ReadOnlyMemory<byte>> pausable ? new PausableRecordedBody(pausable, this) : new RecordedBody(source, this);

    /// <summary>The recorded body, when it was read whole within the limit.</summary>
    public bool TryReplay(out IObservable<ReadOnlyMemory<byte>> body, out long length)
    {
        lock (_gate)
        {
            if (_state != State.Recorded || _chunks is null)
            {
                (body, length) = (Observable.Empty<ReadOnlyMemory<byte>>(), 0);
                return false;
            }
            length = _size;
            if (_size == 0)
            {
                body = Observable.Empty<ReadOnlyMemory<byte>>();
                return true;
            }
            var whole = new byte[_size];
            int at = 0;
            foreach (var chunk in _chunks)
            {
                chunk.Span.CopyTo(whole.AsSpan(at));
                at += chunk.Length;
            }
            body = new MemoryBody(whole);
            return true;
        }
    }

    /// <summary>Starts recording at the first subscription; a second one (a retry) makes the recording unusable.</summary>
    internal IObserver<ReadOnlyMemory<byte>> Start(IObserver<ReadOnlyMemory<byte>> observer)
    {
        lock (_gate)
            _state = _state == State.NotStarted ? State.Recording : Lose();
        return new RecordingObserver(observer, this);
    }

    private void Add(ReadOnlyMemory<byte> chunk)
    {
        lock (_gate)
        {
            if (_state != State.Recording)
                return;
            _size += chunk.Length;
            if (_size > limit)
                _state = Lose();
            else
                _chunks!.Add(chunk);
        }
    }

    private void End(bool completed)
    {
        lock (_gate)
        {
            if (_state == State.Recording)
                _state = completed ? State.Recorded : Lose();
        }
    }

    private State Lose()
    {
        _chunks = null;
        return State.Lost;
    }

    private sealed class RecordingObserver(IObserver<ReadOnlyMemory<byte>> downstream, BodyRecording recording) : IObserver<ReadOnlyMemory<byte>>
    {
        public void OnNext(ReadOnlyMemory<byte> value)
        {
            recording.Add(value);
            downstream.OnNext(value);
        }

        public void OnError(Exception error)
        {
            recording.End(completed: false);
            downstream.OnError(error);
        }

        public void OnCompleted()
        {
            recording.End(completed: true);
            downstream.OnCompleted();
        }
    }
}
