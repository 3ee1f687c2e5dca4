using System.Net;
using System.Net.Sockets;
using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;
using RxNet.Internal;
using RxNet.Transport;

namespace RxNet.Sockets.Internal;

/// <summary>
/// A connected stream socket as an <see cref="IConnection"/>: owns the socket and decides when it
/// is released (both directions finished, or an abort) and why. Its input is a <see cref="TransportInput"/>
/// read from the socket (this class is the input's <see cref="IInputReader"/>), its output an <see cref="TransportOutput"/>
/// drained into the socket (this class is the queue's <see cref="IOutputDrain"/>).
/// </summary>
internal sealed partial class SocketConnection : IConnection, IOutputDrain
{
    private readonly Socket _socket;
    private readonly TransportInput _input;
    private readonly TransportOutput _output;
    private readonly object _lock = new(); // shared with the input: neither calls out while holding it
    private AsyncSubject<ConnectionClosed>? _closed;
    private EndPoint? _localEndPoint;
    private readonly EndPoint? _remoteEndPoint;
    private ConnectionClosed? _reason;
    private bool _inputDone;
    private bool _outputDone;
    private bool _released;
    private readonly bool _accepted;

    public SocketConnection(Socket socket, ConnectionOptions options, ILogger logger, ConnectionMetrics metrics, bool accepted, bool waitForData = true)
    {
        _socket = socket;
        Metrics = metrics;
        _accepted = accepted;
        _socket.Blocking = false; // reads after a zero-byte wait must never block an I/O thread
        Logger = logger;
        _remoteEndPoint = socket.RemoteEndPoint; // the socket already holds it: keeping it costs nothing
        _output = new TransportOutput(this, this, options, logger);
        _input = new TransportInput(this, this, _lock, FairShare);
        if (!waitForData)
            _ownBlock = []; // the first OwnFree allocates the first block
        metrics.Opened(accepted);
    }

    public IObservable<ReadOnlyMemory<byte>> Input => _input;

    IConnectionOutput IConnection.Output => _output;

    public TransportOutput Output => _output;

    // Read lazily (and kept) so that an idle connection holds no address it was never asked for.
    public EndPoint? LocalEndPoint => _localEndPoint ??= Address(static s => s.LocalEndPoint);

    public EndPoint? RemoteEndPoint => _remoteEndPoint;

    public IObservable<ConnectionClosed> Closed => ClosedSubject;

    public ILogger Logger { get; }

    public ConnectionMetrics Metrics { get; }

    public Socket Socket => _socket;

    public void Dispose() => Abort(null);

    public override string ToString() => $"connection {LocalEndPoint}<->{RemoteEndPoint}";

    private AsyncSubject<ConnectionClosed> ClosedSubject
    {
        get
        {
            if (_closed is null)
                Interlocked.CompareExchange(ref _closed, new AsyncSubject<ConnectionClosed>(), null);
            return _closed;
        }
    }

    private EndPoint? Address(Func<Socket, EndPoint?> read)
    {
        try
        {
            return read(_socket);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return null; // released before anyone asked
        }
    }

    /// <summary>Resets the connection: unsent output is dropped and the peer sees RST.</summary>
    public void Abort(Exception? error)
    {
        lock (_lock)
        {
            if (_released)
                return;
            _released = true;
            _reason ??= new ConnectionClosed(ConnectionCloseReason.Aborted, error);
        }
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already closed by the peer or by us: the reset is moot
        }
        _ = LocalEndPoint; // read while the socket can still tell
        _socket.Dispose();
        _output.Abort();
        _input.Abort(new ConnectionAbortedException($"{this} was aborted by this side.", error));
        Publish();
    }

    /// <summary>Aborts because of a fault on this side, such as a subscriber that threw.</summary>
    public void Fail(Exception error)
    {
        lock (_lock)
            _reason ??= new ConnectionClosed(ConnectionCloseReason.Error, error);
        Abort(error);
    }

    /// <summary>The input is about to report its end: the first side to end names the reason.</summary>
    public void InputEnding(Exception? error)
    {
        if (error is null)
            lock (_lock)
                _reason ??= new ConnectionClosed(ConnectionCloseReason.PeerClose);
    }

    /// <summary>The output is about to send its FIN: the first side to end names the reason.</summary>
    public void OutputEnding()
    {
        lock (_lock)
            _reason ??= new ConnectionClosed(ConnectionCloseReason.LocalClose);
    }

    public void InputFinished(Exception? error)
    {
        if (error is not null)
        {
            lock (_lock)
                _reason ??= new ConnectionClosed(error is ConnectionResetException ? ConnectionCloseReason.Reset : ConnectionCloseReason.Error, error);
            Abort(error);
            return;
        }
        lock (_lock)
        {
            _inputDone = true;
        }
        ReleaseIfDone();
    }

    public void OutputFinished()
    {
        lock (_lock)
        {
            _outputDone = true;
        }
        ReleaseIfDone();
    }

    public void OutputFailed(Exception error)
    {
        var typed = SocketErrors.ToConnectionError(error, this);
        lock (_lock)
            _reason ??= new ConnectionClosed(typed is ConnectionResetException ? ConnectionCloseReason.Reset : ConnectionCloseReason.Error, typed);
        Log.SendFailed(Logger, this, typed.Message);
        Abort(typed);
    }

    ValueTask IOutputDrain.SendAsync(OutputBatch batch)
    {
        Metrics.Sent(batch.Length);
        if (batch.Count > 1)
            return new ValueTask(_socket.SendAsync(batch.Segments, SocketFlags.None));
        var sending = _socket.SendAsync(batch[0].AsMemory(), SocketFlags.None);
        return sending.IsCompletedSuccessfully ? default : Await(sending);

        static async ValueTask Await(ValueTask<int> sending) => await sending.ConfigureAwait(false);
    }

    ValueTask IOutputDrain.ShutdownAsync()
    {
        OutputEnding(); // before the FIN, whose answer may come back at once
        _socket.Shutdown(SocketShutdown.Send);
        OutputFinished();
        return default;
    }

    void IOutputDrain.Failed(Exception error) => OutputFailed(error);

    void IOutputDrain.Abort(Exception error) => Abort(error);

    void IOutputDrain.Drained() => _input.Wake();

    private void ReleaseIfDone()
    {
        lock (_lock)
        {
            if (_released || !_inputDone || !_outputDone)
                return;
            _released = true;
        }
        _ = LocalEndPoint;
        _socket.Dispose();
        Publish();
    }

    private void Publish()
    {
        ConnectionClosed reason;
        lock (_lock)
            reason = _reason ?? new ConnectionClosed(ConnectionCloseReason.LocalClose);
        Log.Closed(Logger, this, reason);
        Metrics.Closed(_accepted, reason);
        try
        {
            ClosedSubject.OnNext(reason);
            ClosedSubject.OnCompleted();
        }
        catch (Exception e)
        {
            // A Closed subscriber threw (say, a Twisted ConnectionLost): log it, never crash the I/O thread.
            Log.SubscriberThrew(Logger, e, this);
        }
    }
}
