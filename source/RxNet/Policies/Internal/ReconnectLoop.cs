using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace RxNet.Policies.Internal;

/// <summary>
/// One subscription of <see cref="ReconnectExtensions.ReconnectStates"/>: connect, watch the connection's
/// <see cref="IConnection.Closed"/>, wait the next delay, connect again, until disposed or out of retries.
/// </summary>
/// <remarks>
/// The loop is a chain of steps, each started by the end of the previous one (an attempt's result, a close,
/// a timer), so at most one step is live and notifications never overlap; only <see cref="Dispose"/> may race
/// with them. The live step (attempt, close watch or timer) sits in <see cref="_step"/>, registered before it
/// starts so that a step ending synchronously replaces it for good.
/// </remarks>
internal sealed class ReconnectLoop(IClientEndpoint endpoint, BackoffSchedule schedule, IScheduler scheduler, IObserver<ReconnectState> observer) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SerialDisposable _step = new();
    private IConnection? _connection;
    private bool _stopped;

    public void Start() => Connect();

    public void Dispose()
    {
        IConnection? connection;
        lock (_lock)
        {
            if (_stopped)
                return;
            _stopped = true;
            connection = _connection;
            _connection = null;
        }
        _step.Dispose();
        connection?.Dispose();
    }

    private void Connect()
    {
        int attempt;
        lock (_lock)
        {
            if (_stopped)
                return;
            attempt = schedule.Retries;
        }
        observer.OnNext(new ReconnectState(ReconnectStatus.Connecting, attempt));
        var step = new SingleAssignmentDisposable();
        if (!TryBegin(step))
            return;
        var result = new AttemptObserver(this, attempt);
        try
        {
            step.Disposable = endpoint.Connect().Subscribe(result);
        }
        catch (Exception e)
        {
            result.OnError(e); // an endpoint that throws instead of failing its observable: a failed attempt all the same
        }
    }

    private void Connected(IConnection connection, int attempt)
    {
        bool stopped;
        lock (_lock)
        {
            stopped = _stopped;
            if (!stopped)
            {
                _connection = connection;
                schedule.Reset();
            }
        }
        if (stopped)
        {
            connection.Dispose(); // made after the subscriber left: nobody owns it
            return;
        }
        observer.OnNext(new ReconnectState(ReconnectStatus.Connected, attempt) { Connection = connection });
        var watch = new SingleAssignmentDisposable();
        if (TryBegin(watch))
            watch.Disposable = connection.Closed.Subscribe(closed => Lost(connection, closed));
    }

    private void Failed(Exception error) => Wait(error, closed: null);

    private void Lost(IConnection connection, ConnectionClosed closed)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_connection, connection))
                return;
            _connection = null;
        }
        Wait(error: null, closed);
    }

    private void Wait(Exception? error, ConnectionClosed? closed)
    {
        bool retry;
        TimeSpan delay;
        int attempt;
        lock (_lock)
        {
            if (_stopped)
                return;
            retry = schedule.TryNext(out delay);
            attempt = schedule.Retries;
            if (!retry)
                _stopped = true;
        }
        if (!retry)
        {
            _step.Dispose();
            observer.OnNext(new ReconnectState(ReconnectStatus.GaveUp, attempt) { Error = error, Closed = closed });
            if (error is not null)
                observer.OnError(error);
            else
                observer.OnCompleted();
            return;
        }
        observer.OnNext(new ReconnectState(ReconnectStatus.WaitingToRetry, attempt) { Delay = delay, Error = error, Closed = closed });
        var timer = new SingleAssignmentDisposable();
        if (TryBegin(timer))
            timer.Disposable = scheduler.Schedule(delay, Connect);
    }

    /// <summary>Makes <paramref name="step"/> the live step, ending the previous one; false once stopped.</summary>
    private bool TryBegin(SingleAssignmentDisposable step)
    {
        lock (_lock)
        {
            if (_stopped)
                return false;
            _step.Disposable = step;
            return true;
        }
    }

    /// <summary>Hears one connect attempt: a connection, or an error; a completion without a connection is an error too.</summary>
    private sealed class AttemptObserver(ReconnectLoop loop, int attempt) : IObserver<IConnection>
    {
        private bool _done;

        public void OnNext(IConnection value)
        {
            if (_done)
            {
                value.Dispose(); // an endpoint breaking its contract with a second connection
                return;
            }
            _done = true;
            loop.Connected(value, attempt);
        }

        public void OnError(Exception error)
        {
            if (_done)
                return;
            _done = true;
            loop.Failed(error);
        }

        public void OnCompleted()
        {
            if (_done)
                return;
            _done = true;
            loop.Failed(new InvalidOperationException("The client endpoint completed without a connection."));
        }
    }
}
