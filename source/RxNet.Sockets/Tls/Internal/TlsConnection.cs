using System.Net;
using System.Reactive.Subjects;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// The plain-text side of an <see cref="System.Net.Security.SslStream"/> running over another connection, as an
/// <see cref="IConnection"/>: decides the close reason at the TLS level and reports it once the
/// connection underneath is released.
/// </summary>
internal sealed class TlsConnection : ITlsConnection
{
    private readonly IConnection _inner;
    private readonly SslStreamLease _ssl;
    private readonly ConnectionStream _stream;
    private readonly TlsInput _input;
    private readonly TlsOutput _output;
    private readonly object _lock = new(); // shared with the input: neither calls out while holding it
    private readonly AsyncSubject<ConnectionClosed> _closed = new();
    private IDisposable? _innerClosed;
    private ConnectionClosed? _reason;
    private bool _aborted;
    private bool _inputDone;
    private bool _outputDone;
    private bool _published;

    public TlsConnection(IConnection inner, SslStreamLease ssl, ConnectionStream stream, TlsSession session, ConnectionOptions options, TlsDispatch dispatch,
        Microsoft.Extensions.Logging.ILogger logger)
    {
        Logger = logger;
        _inner = inner;
        _ssl = ssl;
        _stream = stream;
        Session = session;
        _output = new TlsOutput(this, ssl, options, dispatch);
        _input = new TlsInput(this, ssl, _lock, dispatch);
        _innerClosed = inner.Closed.Subscribe(InnerClosed);
    }

    public TlsSession Session { get; }

    /// <summary>Where this connection logs.</summary>
    public Microsoft.Extensions.Logging.ILogger Logger { get; }

    public IConnectionInput Input => _input;

    IConnectionOutput IConnection.Output => _output;

    public TlsOutput Output => _output;

    public EndPoint? LocalEndPoint => _inner.LocalEndPoint;

    public EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

    public IObservable<ConnectionClosed> Closed => _closed;

    public void Dispose() => Abort(null);

    public override string ToString() => $"TLS over {_inner}";

    /// <summary>Resets the connection underneath: unsent output is dropped and the peer sees RST.</summary>
    public void Abort(Exception? error)
    {
        lock (_lock)
        {
            if (_aborted)
                return;
            _aborted = true;
            _reason ??= new ConnectionClosed(ConnectionCloseReason.Aborted, error);
        }
        // A reset seen first by the output (or underneath) is still a reset to whoever reads the input.
        Exception aborted = (Exception?)(error as ConnectionResetException) ?? new ConnectionAbortedException($"{this} was aborted by this side.", error);
        _output.Abort();
        _stream.Abort(aborted);
        _input.Abort(aborted);
        _inner.Dispose(); // publishes Closed through InnerClosed
        _ssl.Release();
    }

    /// <summary>Aborts because of a fault on this side, such as a subscriber that threw.</summary>
    public void Fail(Exception error)
    {
        lock (_lock)
            _reason ??= new ConnectionClosed(ConnectionCloseReason.Error, error);
        Abort(error);
    }

    /// <summary>The error the input reports for a failed read: the connection underneath's own error if it
    /// has one (a reset stays a <see cref="ConnectionResetException"/>), else the TLS layer's.</summary>
    public Exception InputFault(Exception error)
    {
        if (_stream.InputError is { } inner)
            return inner;
        if (error is IOException { InnerException: ConnectionAbortedException or ConnectionResetException } wrapped)
            return wrapped.InnerException!;
        return error is IOException ? error : new IOException($"TLS on {_inner} failed: {error.Message}", error);
    }

    /// <summary>Whether the connection underneath failed or was aborted (rather than the TLS layer alone).</summary>
    public bool UnderneathFailed => _stream.Faulted;

    public void InputEnding(Exception? error)
    {
        if (error is null)
            lock (_lock)
                _reason ??= new ConnectionClosed(ConnectionCloseReason.PeerClose);
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
        bool release;
        lock (_lock)
        {
            _inputDone = true;
            release = _outputDone;
        }
        if (release)
            _ssl.Release();
    }

    public void OutputEnding()
    {
        lock (_lock)
            _reason ??= new ConnectionClosed(ConnectionCloseReason.LocalClose);
    }

    public void OutputFinished()
    {
        _inner.Output.OnCompleted(); // close_notify is out: now the FIN
        bool release;
        lock (_lock)
        {
            _outputDone = true;
            release = _inputDone;
        }
        if (release)
            _ssl.Release();
    }

    public void OutputFailed(Exception error)
    {
        var fault = _stream.InputError ?? (error is IOException { InnerException: ConnectionAbortedException or ConnectionResetException } wrapped ? wrapped.InnerException : error);
        lock (_lock)
            _reason ??= new ConnectionClosed(fault is ConnectionResetException ? ConnectionCloseReason.Reset : ConnectionCloseReason.Error, fault);
        Abort(fault);
    }

    public void OutputDrained() => _input.Wake();

    /// <summary>The connection underneath is released: this one is too, with the reason decided here first.</summary>
    private void InnerClosed(ConnectionClosed inner)
    {
        ConnectionClosed reason;
        lock (_lock)
        {
            if (_published)
                return;
            _published = true;
            reason = _reason ??= inner;
        }
        _output.Abort(); // nothing can leave any more
        _innerClosed?.Dispose();
        if (!inner.IsClean)
            _ssl.Release(); // reset underneath: free the TLS state (as soon as nothing is inside it); a later read reports the reset
        try
        {
            _closed.OnNext(reason);
            _closed.OnCompleted();
        }
        catch (Exception)
        {
            // A Closed subscriber threw: the connection is gone already; nothing on this thread may fail for it.
        }
    }
}
