using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text;

namespace RxNet.Testing.Contracts;

/// <summary>What an <see cref="InputProbe"/> has seen so far.</summary>
/// <param name="Count">Bytes received.</param>
/// <param name="Ended">Whether the input completed or failed.</param>
/// <param name="Error">The error it failed with, if it did.</param>
/// <param name="Left">Whether the probe unsubscribed itself (<see cref="InputProbe.LeaveAfter"/>).</param>
internal sealed record ProbeState(long Count, bool Ended, Exception? Error, bool Left);

/// <summary>
/// A subscriber of a connection's input that checks the input grammar as it goes (never empty, never
/// concurrent, nothing after the end or after leaving), keeps or checks what arrives, and exposes its
/// progress as observables the world can run until. Safe to read from any thread.
/// </summary>
#pragma warning disable CA1001 // the subject holds no unmanaged state
internal sealed class InputProbe : IObserver<ReadOnlyMemory<byte>>
#pragma warning restore CA1001
{
    private readonly Lock _lock = new();
    private readonly bool _keep;
    private readonly ulong? _pattern;
    private readonly List<(ReadOnlyMemory<byte> Given, byte[] Copy)> _chunks = [];
    private readonly BehaviorSubject<ProbeState> _state = new(new ProbeState(0, false, null, false));
    private readonly SingleAssignmentDisposable _subscription = new();
    private long _count;
    private bool _ended;
    private bool _left;
    private Exception? _error;
    private int _inside;

    /// <summary>Creates a probe.</summary>
    /// <param name="keep">Keep every chunk as given (and a copy of it), for <see cref="Bytes"/> and <see cref="ChangedChunks"/>.</param>
    /// <param name="pattern">Check every byte against the <see cref="Pattern"/> stream of this seed.</param>
    public InputProbe(bool keep = true, ulong? pattern = null)
    {
        _keep = keep;
        _pattern = pattern;
    }

    /// <summary>The probe disposes its own subscription, from inside <c>OnNext</c>, once it has this many bytes.</summary>
    public long LeaveAfter { get; init; } = long.MaxValue;

    /// <summary>Bytes received.</summary>
    public long Count
    {
        get
        {
            lock (_lock)
                return _count;
        }
    }

    /// <summary>Whether the input completed or failed.</summary>
    public bool Ended
    {
        get
        {
            lock (_lock)
                return _ended;
        }
    }

    /// <summary>The error the input failed with, if it did.</summary>
    public Exception? Error
    {
        get
        {
            lock (_lock)
                return _error;
        }
    }

    /// <summary>Chunks received.</summary>
    public int Chunks { get; private set; }

    /// <summary>Empty chunks received (the contract says none).</summary>
    public int EmptyChunks { get; private set; }

    /// <summary>Notifications that began while another was running (the contract says none).</summary>
    public int Overlaps { get; private set; }

    /// <summary>Notifications after the end, or after the probe left (the contract says none).</summary>
    public int LateNotifications { get; private set; }

    /// <summary>The largest chunk received.</summary>
    public int LargestChunk { get; private set; }

    /// <summary>The stream position of the first byte that differed from the pattern, or -1.</summary>
    public long FirstMismatch { get; private set; } = -1;

    /// <summary>Emits the state once <paramref name="count"/> bytes have arrived; fails if the input ends first.</summary>
    public IObservable<ProbeState> WhenReceived(long count) =>
        _state.Where(s => s.Count >= count || s.Ended).Take(1).Select(s => s.Count >= count
            ? s
            : throw new InvalidOperationException(
                $"The input ended after {s.Count} of the {count} bytes awaited ({s.Error?.Message ?? "completed"})."));

    /// <summary>Emits the state once the input has completed or failed.</summary>
    public IObservable<ProbeState> WhenEnded => _state.Where(s => s.Ended).Take(1);

    /// <summary>Emits the state once the probe has unsubscribed itself.</summary>
    public IObservable<ProbeState> WhenLeft => _state.Where(s => s.Left).Take(1);

    /// <summary>Subscribes to <paramref name="input"/>; the probe can then leave on its own (<see cref="LeaveAfter"/>).</summary>
    public IDisposable SubscribeTo(IObservable<ReadOnlyMemory<byte>> input)
    {
        _subscription.Disposable = input.Subscribe(this);
        return _subscription;
    }

    /// <summary>Everything received, in order (copies taken on arrival).</summary>
    public byte[] Bytes()
    {
        lock (_lock)
            return [.. _chunks.SelectMany(c => c.Copy)];
    }

    /// <summary>Everything received, as ASCII text.</summary>
    public string Text() => Encoding.ASCII.GetString(Bytes());

    /// <summary>Chunks whose memory, as given to <c>OnNext</c>, no longer holds what it held then.</summary>
    public int ChangedChunks()
    {
        lock (_lock)
            return _chunks.Count(c => !c.Given.Span.SequenceEqual(c.Copy));
    }

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        bool overlapping = Interlocked.Exchange(ref _inside, 1) != 0;
        try
        {
            Receive(value, overlapping);
        }
        finally
        {
            if (!overlapping)
                Volatile.Write(ref _inside, 0);
        }
    }

    public void OnError(Exception error) => Finish(error);

    public void OnCompleted() => Finish(null);

    private void Receive(ReadOnlyMemory<byte> value, bool overlapping)
    {
        ProbeState state;
        bool leave = false;
        lock (_lock)
        {
            if (overlapping)
                Overlaps++;
            if (_ended || _left)
            {
                LateNotifications++;
                return;
            }
            Chunks++;
            if (value.IsEmpty)
                EmptyChunks++;
            LargestChunk = Math.Max(LargestChunk, value.Length);
            if (_pattern is { } seed && FirstMismatch < 0)
            {
                int at = Pattern.FirstMismatch(seed, _count, value.Span);
                if (at >= 0)
                    FirstMismatch = _count + at;
            }
            if (_keep)
                _chunks.Add((value, value.ToArray()));
            _count += value.Length;
            if (_count >= LeaveAfter)
                leave = _left = true;
            state = new ProbeState(_count, _ended, _error, _left);
        }
        if (leave)
            _subscription.Dispose();
        _state.OnNext(state);
    }

    private void Finish(Exception? error)
    {
        ProbeState state;
        lock (_lock)
        {
            if (_ended || _left)
            {
                LateNotifications++;
                return;
            }
            _ended = true;
            _error = error;
            state = new ProbeState(_count, true, error, _left);
        }
        _state.OnNext(state); // not completed: late subscribers still get this last state
    }
}
