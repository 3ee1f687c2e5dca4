using System.Net;
using System.Reactive.Concurrency;
using RxNet.Transport;

namespace RxNet.Policies.Internal;

/// <summary>
/// A connection whose directions are paced (see <see cref="ThrottleExtensions.Throttle"/>), built on the transport
/// skeleton: its input is a <see cref="TransportInput"/> read by a <see cref="ThrottledReader"/>, its output a
/// <see cref="TransportOutput"/> drained by a <see cref="ThrottledOutput"/>, and its <see cref="Closed"/> a
/// <see cref="ConnectionLifetime"/> with the wrapped connection's reason, held back while the input still has the
/// end to deliver, and <see cref="ConnectionCloseReason.Error"/> when a subscriber of the input threw.
/// </summary>
internal sealed class ThrottledConnection : IConnection, IConnectionResource
{
    private readonly IConnection _inner;
    private readonly TransportInput _input;
    private readonly ThrottledReader _reader;
    private readonly ThrottledOutput _output;
    private readonly ConnectionLifetime _lifetime;
    private bool _closing;

    public ThrottledConnection(IConnection inner, long readBytesPerSecond, long writeBytesPerSecond, IScheduler scheduler)
    {
        _inner = inner;
        _lifetime = new ConnectionLifetime(this);
        _reader = new ThrottledReader(this, inner.Input, scheduler, new ThrottleRate(readBytesPerSecond));
        _input = new TransportInput(_reader, this);
        _output = new ThrottledOutput(this, inner.Output, scheduler, new ThrottleRate(writeBytesPerSecond));
        _inner.Closed.Subscribe(OnInnerClosed);
    }

    public IConnectionInput Input => _input;

    public IConnectionOutput Output => _output;

    public EndPoint? LocalEndPoint => _inner.LocalEndPoint;

    public EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

    public IObservable<ConnectionClosed> Closed => _lifetime.Closed;

    internal bool OutputPausesInput => _output.PausesInput;

    public void Dispose() => Abort(null);

    public void Close()
    {
        Volatile.Write(ref _closing, true);
        _lifetime.Close();
        _output.Close();
    }

    /// <summary>The output has paced out everything after <see cref="Close"/>: the wrapped connection closes.</summary>
    internal void CloseInner() => _inner.Close();

    public override string ToString() => _inner.ToString() ?? nameof(ThrottledConnection);

    /// <summary>Aborts the wrapped connection first, so that a reason it already had (say, this side finished
    /// sending first) stays the reason; then this one, dropping an end the input held back. Its own directions end
    /// even when the wrapped connection's close released it first.</summary>
    internal void Abort(Exception? error)
    {
        AbortInner(error);
        AbortOwn(error);
        _lifetime.Abort(error);
    }

    /// <summary>A subscriber of the input threw, or the output failed: abort, and report <see cref="ConnectionCloseReason.Error"/>.</summary>
    internal void Fail(Exception error) => _lifetime.Fail(error);

    /// <summary>The output fell below its low-water mark: the input may go on.</summary>
    internal void WakeInput() => _input.Wake();

    /// <summary>The input delivered its end: this direction is done.</summary>
    internal void InputEnded() => _lifetime.InputEnded(null);

    void IConnectionResource.Abort(Exception? error)
    {
        AbortInner(error);
        AbortOwn(error);
    }

    void IConnectionResource.Release()
    {
        // The wrapped connection has closed: nothing of this one's own to free, only an input left unread after Close.
        if (Volatile.Read(ref _closing))
            _input.Close();
    }

    private void AbortOwn(Exception? error)
    {
        _output.Abort();
        var aborted = error as ConnectionResetException
            ?? (Exception)new ConnectionAbortedException($"{this} was aborted by this side.", error);
        _input.Abort(aborted);
        _reader.Abort(aborted);
    }

    private void AbortInner(Exception? error)
    {
        if (error is null)
            _inner.Dispose();
        else
            _inner.Output.OnError(error);
    }

    /// <summary>The wrapped connection closed: its reason is this one's (unless one came first), the output is done,
    /// and so is the input unless it still holds the end to deliver.</summary>
    private void OnInnerClosed(ConnectionClosed closed)
    {
        _lifetime.Note(closed);
        _output.Abort();
        _lifetime.OutputEnded();
        if (!_reader.HoldsEnd)
            _lifetime.InputEnded(null);
    }
}
