using System.Globalization;
using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Subjects;

namespace RxNet.Policies.Internal;

/// <summary>
/// A connection that closes itself after a period without traffic (see
/// <see cref="IdleTimeoutExtensions.IdleTimeout(IConnection, IdleTimeoutOptions, IScheduler)"/>). Activity only
/// stamps the time; the one timer re-arms itself for the remainder when it finds activity since it was set.
/// </summary>
#pragma warning disable CA1001 // the subject and timer are released when the wrapped connection closes
internal sealed class IdleTimeoutConnection : IConnection, ITrafficTap
#pragma warning restore CA1001
{
    private readonly IConnection _inner;
    private readonly TrafficTapOutput _output;
    private readonly IdleTimeoutOptions _options;
    private readonly IScheduler _scheduler;
    private readonly object _gate = new();
    private readonly SerialDisposable _timer = new();
    private readonly AsyncSubject<ConnectionClosed> _closed = new();
    private long _lastActivity; // scheduler ticks
    private bool _timedOut;
    private bool _released;
    private bool _outputCompleted;

    public IdleTimeoutConnection(IConnection inner, IdleTimeoutOptions options, IScheduler scheduler)
    {
        _inner = inner;
        _options = options;
        _scheduler = scheduler;
        Input = new TrafficTapInput(inner.Input, this);
        _output = new TrafficTapOutput(inner.Output, this);
        _lastActivity = Now;
        lock (_gate)
            _timer.Disposable = _scheduler.Schedule(_options.Period, Check);
        _inner.Closed.Subscribe(OnInnerClosed);
    }

    public IConnectionInput Input { get; }

    public IConnectionOutput Output => _output;

    public EndPoint? LocalEndPoint => _inner.LocalEndPoint;

    public EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

    public IObservable<ConnectionClosed> Closed => _closed;

    private long Now => _scheduler.Now.UtcTicks;

    public void Close() => _inner.Close();

    public void Dispose()
    {
        _output.Finish();
        _inner.Dispose();
    }

    public override string ToString() => _inner.ToString() ?? nameof(IdleTimeoutConnection);

    void ITrafficTap.Received(ReadOnlyMemory<byte> chunk) => Touch();

    void ITrafficTap.Sending(ReadOnlyMemory<byte> chunk) => Touch();

    void ITrafficTap.InputCompleted()
    {
    }

    Exception ITrafficTap.InputFailed(Exception error)
    {
        bool timedOut;
        lock (_gate)
            timedOut = _timedOut;
        return timedOut && error is ConnectionAbortedException
            ? new ConnectionAbortedException($"{_inner} was aborted: {IdleMessage()}", Timeout())
            : error;
    }

    void ITrafficTap.OutputCompleted()
    {
        lock (_gate)
            _outputCompleted = true;
    }

    void ITrafficTap.OutputFailed(Exception error)
    {
    }

    private void Touch() => Volatile.Write(ref _lastActivity, Now);

    /// <summary>The timer fired: idle long enough (close), or re-armed for what is left of the period.</summary>
    private void Check()
    {
        bool abort;
        lock (_gate)
        {
            if (_released || _timedOut)
                return;
            long idle = Now - Volatile.Read(ref _lastActivity);
            if (idle < _options.Period.Ticks)
            {
                _timer.Disposable = _scheduler.Schedule(TimeSpan.FromTicks(_options.Period.Ticks - idle), Check);
                return;
            }
            _timedOut = true;
            abort = _outputCompleted || _options.AbortAfter == TimeSpan.Zero;
            _timer.Disposable = abort ? Disposable.Empty : _scheduler.Schedule(_options.AbortAfter, _inner.Dispose);
        }
        if (abort)
            _inner.Dispose();
        else
            _inner.Output.OnCompleted(); // Twisted's loseConnection: flush, then FIN
    }

    private void OnInnerClosed(ConnectionClosed closed)
    {
        bool timedOut;
        lock (_gate)
        {
            _released = true;
            timedOut = _timedOut;
        }
        _output.Finish();
        _timer.Dispose();
        _closed.OnNext(timedOut ? new ConnectionClosed(ConnectionCloseReason.Timeout, Timeout()) : closed);
        _closed.OnCompleted();
    }

    private TimeoutException Timeout() => new(IdleMessage());

    private string IdleMessage() => string.Create(CultureInfo.InvariantCulture,
        $"no byte in either direction for {_options.Period.TotalSeconds} s (idle timeout).");
}
