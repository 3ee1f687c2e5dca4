using System.Net;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using RxNet.Sockets.Internal;
using RxNet.Transport;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// The plain-text side of an <see cref="System.Net.Security.SslStream"/> running over another connection, as an
/// <see cref="IConnection"/> on the transport skeleton: its input is a <see cref="TransportInput"/> read from the
/// SslStream (this class is the input's <see cref="IInputReader"/>), its output a <see cref="TransportOutput"/>
/// encrypted into it (its <see cref="IOutputDrain"/>), and a <see cref="ConnectionLifetime"/> decides the close
/// reason at the TLS level (its <see cref="IConnectionResource"/>: the SslStream's lease and the connection underneath).
/// </summary>
/// <remarks>Every operation on the SslStream runs inside its <see cref="SslStreamLease"/>, and a read and the
/// close_notify never run in OpenSSL at once (<see cref="TlsSessionGate"/>): the resource frees the stream only once
/// nothing is inside it, whoever ends the connection and from whatever thread.</remarks>
internal sealed partial class TlsConnection : ITlsConnection, IConnectionResource
{
    private readonly IConnection _inner;
    private readonly SslStreamLease _ssl;
    private readonly ConnectionStream _stream;
    private readonly TlsDispatch _dispatch;
    private readonly TransportInput _input;
    private readonly TransportOutput _output;
    private readonly ConnectionLifetime _lifetime; // also the input's lock: neither calls out while holding it
    private readonly IObservable<ConnectionClosed> _closed;
    private bool _inputEnded; // the input read to its end or failed: no read will enter the SslStream any more
    private int _reset;
    private int _closing; // Close(): after close_notify the connection underneath closes too
    private int _shutDown; // close_notify sent and the connection underneath told

    public TlsConnection(IConnection inner, SslStreamLease ssl, ConnectionStream stream, TlsSession session, ConnectionOptions options, TlsDispatch dispatch,
        ILogger logger)
    {
        Logger = logger;
        _inner = inner;
        _ssl = ssl;
        _stream = stream;
        _dispatch = dispatch;
        Session = session;
        _lifetime = new ConnectionLifetime(this);
        _output = new TransportOutput(this, this, options, logger, RecordSize);
        _input = new TransportInput(this, this, _lifetime);
        // Reported once the connection underneath is released too, with the reason decided at the TLS level.
        _closed = _lifetime.Closed.Zip(inner.Closed, static (tls, _) => tls);
        inner.Closed.Subscribe(InnerClosed);
    }

    public TlsSession Session { get; }

    /// <summary>Where this connection logs.</summary>
    public ILogger Logger { get; }

    public IConnectionInput Input => _input;

    IConnectionOutput IConnection.Output => _output;

    public TransportOutput Output => _output;

    public EndPoint? LocalEndPoint => _inner.LocalEndPoint;

    public EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

    public IObservable<ConnectionClosed> Closed => _closed;

    public void Dispose() => Abort(null);

    /// <summary>Sends what is queued and <c>close_notify</c>, then closes the connection underneath (see
    /// <see cref="IConnection.Close"/>) instead of only half-closing it.</summary>
    public void Close()
    {
        Interlocked.Exchange(ref _closing, 1);
        _lifetime.Close();
        _output.OnCompleted();
        if (Volatile.Read(ref _shutDown) != 0)
            _inner.Close(); // half-closed already: the connection underneath closes now (twice is harmless)
    }

    public override string ToString() => $"TLS over {_inner}";

    /// <summary>Aborts because of a fault on this side, such as a subscriber that threw.</summary>
    public void Fail(Exception error)
    {
        _lifetime.Fail(error);
        Reset(error);
    }

    /// <summary>Dispose and <c>Output.OnError</c>: the lifetime aborts the connection, and if it is over already (closed
    /// cleanly, the connection underneath perhaps still waiting for the peer's FIN), the rest is reset all the same.</summary>
    private void Abort(Exception? error)
    {
        _lifetime.Abort(error);
        Reset(error);
    }

    void IConnectionResource.Abort(Exception? error) => Reset(error);

    /// <summary>Resets the connection underneath, once: unsent output is dropped, the input ends, the peer sees RST, and
    /// the SslStream is freed as soon as nothing is inside it.</summary>
    private void Reset(Exception? error)
    {
        if (Interlocked.Exchange(ref _reset, 1) != 0)
            return;
        // A reset seen first by the output (or underneath) is still a reset to whoever reads the input.
        Exception aborted = (Exception?)(error as ConnectionResetException) ?? new ConnectionAbortedException($"{this} was aborted by this side.", error);
        _output.Abort();
        _stream.Abort(aborted); // fails a read or write waiting underneath, so that it leaves the lease
        _input.Abort(aborted);
        _inner.Dispose();
        _ssl.Release();
    }

    /// <summary>Both directions finished: the connection underneath finishes by itself (its output completed after the
    /// close_notify, its input is read to the FIN). The session is freed once the input has ended (at once, unless
    /// the connection underneath closed first).</summary>
    void IConnectionResource.Release()
    {
        if (Volatile.Read(ref _closing) != 0)
        {
            // After Close() the input ends here, whatever the peer does; the read waiting inside the session ends with
            // the connection underneath, and the session is freed once it has left.
            _input.Close();
            _ssl.Release();
        }
        else if (Volatile.Read(ref _inputEnded))
            _ssl.Release();
    }

    // A Closed subscriber threw: the connection is gone already; nothing on this thread may fail for it.
    void IConnectionResource.ClosedSubscriberThrew(Exception error) => Log.SubscriberThrew(Logger, error, this);

    /// <summary>The connection underneath is released, and this one with it (with the reason it had first). After a clean
    /// close the input counts as done, yet keeps the session to deliver what the peer sent before its close_notify (it
    /// frees it when it ends, or on an abort); after a reset or an abort underneath, this connection aborts.</summary>
    private void InnerClosed(ConnectionClosed inner)
    {
        _lifetime.Note(inner);
        if (inner.IsClean)
            _lifetime.InputEnded(null);
        else
            _lifetime.Abort(inner.Error);
    }

    /// <summary>The error for a failed read or write: the connection underneath's own error if it has one (a reset
    /// stays a <see cref="ConnectionResetException"/>), else the TLS layer's.</summary>
    private Exception Fault(Exception error)
    {
        if (_stream.InputError is { } inner)
            return inner;
        return error is IOException { InnerException: ConnectionAbortedException or ConnectionResetException } wrapped ? wrapped.InnerException! : error;
    }

    private IOException SessionClosed() => new($"The TLS session on {this} is closed.");
}
