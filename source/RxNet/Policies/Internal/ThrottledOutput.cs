using Microsoft.Extensions.Logging;
using RxNet.Operators.Internal;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using RxNet.Transport;

namespace RxNet.Policies.Internal;

/// <summary>
/// The output of a <see cref="ThrottledConnection"/>: a <see cref="TransportOutput"/> (copies, water marks, "fed by
/// its own input", completion, writes after the end) whose drain passes each batch of at most a slice on to the
/// connection's output once a <see cref="ThrottleRate"/> says it is due, and completes that output once everything
/// has gone.
/// </summary>
/// <remarks>
/// <para><b>Stalls.</b> A due slice is held back while the connection's output is not writable (the peer does not
/// read, or a partition holds) and goes as soon as it is writable again; pacing then starts afresh, so a stall never
/// turns into a catch-up burst. Nothing polls: the connection's output says when it is writable again.</para>
/// <para><b>Water marks.</b> <see cref="PendingBytes"/> and the marks are this queue's (the bytes not yet passed on;
/// the connection's output counts and bounds the rest itself). <see cref="Writable"/> is also false while the
/// connection's output is not writable, so a writer that honours it waits for both.</para>
/// </remarks>
#pragma warning disable CA1001 // the timer and the subscription end with the output
internal sealed class ThrottledOutput : IConnectionOutput, IOutputDrain, ILoggingOutput
#pragma warning restore CA1001
{
    private readonly ThrottledConnection _owner;
    private bool _closing; // Close(): the wrapped connection closes once everything is paced out
    private bool _shutDown;
    private readonly IConnectionOutput _inner;
    private readonly IScheduler _scheduler;
    private readonly ThrottleRate _rate;
    private readonly TransportOutput _paced;
    private readonly object _gate = new();
    private readonly SerialDisposable _timer = new();
    private readonly SingleAssignmentDisposable _innerWritable = new();
    private OutputBatch _waiting; // the batch being paced or held by a stall
    private TaskCompletionSource? _sent; // completes the send of _waiting; null when none waits
    private bool _due;
    private bool _isInnerWritable = true;

    public ILogger Logger => OverflowReport.LoggerOf(_inner);

    public ThrottledOutput(ThrottledConnection owner, IConnectionOutput inner, IScheduler scheduler, ThrottleRate rate)
    {
        _owner = owner;
        _inner = inner;
        _scheduler = scheduler;
        _rate = rate;
        _paced = new TransportOutput(this, owner, ConnectionOptions.Default);
        Writable = _paced.Writable.CombineLatest(inner.Writable, static (own, below) => own && below).DistinctUntilChanged();
        _innerWritable.Disposable = inner.Writable.Subscribe(OnInnerWritable);
    }

    public IObservable<bool> Writable { get; }

    public long PendingBytes => _paced.PendingBytes;

    /// <summary>Whether the connection's own input must pause (<see cref="TransportOutput.PausesInput"/>).</summary>
    public bool PausesInput => _paced.PausesInput;

    long IOutputDrain.Room => _rate.SliceSize;

    public void OnNext(ReadOnlyMemory<byte> value) => _paced.OnNext(value);

    public void OnCompleted() => _paced.OnCompleted();

    /// <summary>Completes, and once everything has been paced out closes the wrapped connection instead of only
    /// half-closing it (<see cref="IConnection.Close"/>).</summary>
    public void Close()
    {
        bool shutDown;
        lock (_gate)
            (_closing, shutDown) = (true, _shutDown);
        if (shutDown)
            _owner.CloseInner(); // half-closed already: the wrapped connection closes now
        else
            _paced.OnCompleted();
    }

    public void OnError(Exception error) => _paced.OnError(error);

    /// <summary>The connection ended or was aborted: what is queued is dropped, and a slice being paced with it.</summary>
    public void Abort()
    {
        _paced.Abort();
        _innerWritable.Dispose();
        TaskCompletionSource? sent;
        lock (_gate)
        {
            (sent, _sent, _waiting) = (_sent, null, default);
            _timer.Dispose();
        }
        sent?.SetResult(); // the queue releases the batch's buffers
    }

    // Drained at once, on the writer's thread: the connection's output coalesces what it is given in a turn.
    void IOutputDrain.ScheduleDrain(TransportOutput queue) => queue.Drain();

    ValueTask IOutputDrain.SendAsync(OutputBatch batch)
    {
        long now = _scheduler.Now.UtcTicks;
        long due = _rate.Due(now, (int)batch.Length); // drains run one at a time: the rate needs no lock of its own
        lock (_gate)
        {
            if (due > now || !_isInnerWritable)
            {
                (_waiting, _sent, _due) = (batch, new TaskCompletionSource(), due <= now);
                if (!_due)
                    _timer.Disposable = _scheduler.Schedule(TimeSpan.FromTicks(due - now), OnDue);
                return new ValueTask(_sent.Task);
            }
        }
        PassOn(batch);
        return default;
    }

    ValueTask IOutputDrain.ShutdownAsync()
    {
        _innerWritable.Dispose();
        bool closing;
        lock (_gate)
            (_shutDown, closing) = (true, _closing);
        if (closing)
            _owner.CloseInner(); // flush, FIN, release
        else
            _inner.OnCompleted(); // flush, then FIN
        return default;
    }

    void IOutputDrain.Failed(Exception error) => _owner.Fail(error);

    void IOutputDrain.Abort(Exception error) => _owner.Abort(error);

    void IOutputDrain.Drained() => _owner.WakeInput();

    private void OnDue()
    {
        lock (_gate)
            _due = true;
        TryPassOn();
    }

    private void OnInnerWritable(bool writable)
    {
        lock (_gate)
            _isInnerWritable = writable;
        if (writable)
            TryPassOn(); // a stalled slice goes now
    }

    /// <summary>Passes the waiting batch on if it is due and the connection's output takes more.</summary>
    private void TryPassOn()
    {
        TaskCompletionSource? sent;
        OutputBatch batch;
        lock (_gate)
        {
            if (_sent is null || !_due || !_isInnerWritable)
                return;
            (sent, batch, _sent, _waiting) = (_sent, _waiting, null, default);
        }
        PassOn(batch);
        sent.SetResult(); // runs the queue's next step on this thread
    }

    private void PassOn(OutputBatch batch)
    {
        for (int i = 0; i < batch.Count; i++)
            _inner.OnNext(batch[i]); // it copies: the queue reuses the batch's buffers once the send completes
    }
}
