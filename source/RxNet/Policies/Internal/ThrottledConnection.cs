using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Subjects;

namespace RxNet.Policies.Internal;

/// <summary>
/// A connection whose directions are paced (see <see cref="ThrottleExtensions.Throttle"/>). Its
/// <see cref="Closed"/> is the wrapped connection's, held back while its input still has bytes or the end to
/// deliver, and reporting <see cref="ConnectionCloseReason.Error"/> when a subscriber of the input threw.
/// </summary>
#pragma warning disable CA1001 // the subject completes when the wrapped connection closes
internal sealed class ThrottledConnection : IConnection
#pragma warning restore CA1001
{
    private readonly IConnection _inner;
    private readonly ThrottledInput _input;
    private readonly ThrottledOutput _output;
    private readonly object _gate = new();
    private readonly AsyncSubject<ConnectionClosed> _closed = new();
    private ConnectionClosed? _innerClosed;
    private Exception? _fault;
    private bool _emitted;

    public ThrottledConnection(IConnection inner, long readBytesPerSecond, long writeBytesPerSecond, IScheduler scheduler)
    {
        _inner = inner;
        _input = new ThrottledInput(this, inner.Input, scheduler, new ThrottleRate(readBytesPerSecond));
        _output = new ThrottledOutput(this, inner.Output, scheduler, new ThrottleRate(writeBytesPerSecond), ConnectionOptions.Default);
        _output.Start();
        _inner.Closed.Subscribe(OnInnerClosed);
    }

    public IConnectionInput Input => _input;

    public IConnectionOutput Output => _output;

    public EndPoint? LocalEndPoint => _inner.LocalEndPoint;

    public EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

    public IObservable<ConnectionClosed> Closed => _closed;

    internal bool OutputPausesInput => _output.PausesInput;

    internal bool IsDeliveringInputOnCurrentThread => _input.IsDeliveringOnCurrentThread;

    public void Dispose()
    {
        _inner.Dispose();
        _output.Abort();
        _input.Abort(new ConnectionAbortedException($"{this} was aborted by this side."));
        TryEmitClosed(); // an end the input held back is dropped now
    }

    public override string ToString() => _inner.ToString() ?? nameof(ThrottledConnection);

    /// <summary>The output fell below a mark, or the connection's own output became writable: the input may go on.</summary>
    internal void WakeInput() => _input.Wake();

    /// <summary>A subscriber of the input threw: abort, and report <see cref="ConnectionCloseReason.Error"/>.</summary>
    internal void Fail(Exception error)
    {
        lock (_gate)
            _fault ??= error;
        _inner.Output.OnError(error);
    }

    /// <summary>The input delivered its end: <see cref="Closed"/> may go.</summary>
    internal void InputEnded() => TryEmitClosed();

    private void OnInnerClosed(ConnectionClosed closed)
    {
        _output.Abort();
        lock (_gate)
            _innerClosed = closed;
        TryEmitClosed();
    }

    private void TryEmitClosed()
    {
        ConnectionClosed reason;
        lock (_gate)
        {
            if (_emitted || _innerClosed is null || _input.HoldsClose)
                return;
            _emitted = true;
            reason = _fault is null ? _innerClosed : new ConnectionClosed(ConnectionCloseReason.Error, _fault);
        }
        _closed.OnNext(reason);
        _closed.OnCompleted();
    }
}
