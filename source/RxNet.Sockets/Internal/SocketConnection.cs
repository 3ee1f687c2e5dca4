using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RxNet.Transport;

namespace RxNet.Sockets.Internal;

/// <summary>
/// A connected stream socket as an <see cref="IConnection"/>, on the transport skeleton: its input is a
/// <see cref="TransportInput"/> read from the socket (this class is the input's <see cref="IInputReader"/>),
/// its output a <see cref="TransportOutput"/> drained into the socket (its <see cref="IOutputDrain"/>), and a
/// <see cref="ConnectionLifetime"/> decides when the socket is released and why (its <see cref="IConnectionResource"/>).
/// </summary>
internal sealed partial class SocketConnection : IConnection, IOutputDrain, IConnectionResource
{
    private readonly Socket _socket;
    private readonly TransportInput _input;
    private readonly TransportOutput _output;
    private readonly ConnectionLifetime _lifetime; // also the input's lock: neither calls out while holding it
    private EndPoint? _localEndPoint;
    private readonly EndPoint? _remoteEndPoint;
    private readonly bool _accepted;

    public SocketConnection(Socket socket, ConnectionOptions options, ILogger logger, ConnectionMetrics metrics, bool accepted, bool waitForData = true)
    {
        _socket = socket;
        Metrics = metrics;
        _accepted = accepted;
        _socket.Blocking = false; // reads after a zero-byte wait must never block an I/O thread
        Logger = logger;
        _remoteEndPoint = socket.RemoteEndPoint; // the socket already holds it: keeping it costs nothing
        _lifetime = new ConnectionLifetime(this);
        _output = new TransportOutput(this, this, options, logger);
        _input = new TransportInput(this, this, _lifetime, FairShare);
        if (!waitForData)
            _ownBlock = []; // the first OwnFree allocates the first block
        metrics.Opened(accepted);
    }

    public IConnectionInput Input => _input;

    IConnectionOutput IConnection.Output => _output;

    public TransportOutput Output => _output;

    // Read lazily (and kept) so that an idle connection holds no address it was never asked for.
    public EndPoint? LocalEndPoint => _localEndPoint ??= Address(static s => s.LocalEndPoint);

    public EndPoint? RemoteEndPoint => _remoteEndPoint;

    public IObservable<ConnectionClosed> Closed => _lifetime.Closed;

    public ILogger Logger { get; }

    public ConnectionMetrics Metrics { get; }

    public Socket Socket => _socket;

    public void Dispose() => _lifetime.Abort(null);

    public void Close()
    {
        _lifetime.Close();
        _output.OnCompleted();
    }

    public override string ToString() => $"connection {LocalEndPoint}<->{RemoteEndPoint}";

    /// <summary>Resets the connection: unsent output is dropped and the peer sees RST.</summary>
    public void Abort(Exception? error) => _lifetime.Abort(error);

    /// <summary>Aborts because of a fault on this side, such as a subscriber that threw.</summary>
    public void Fail(Exception error) => _lifetime.Fail(error);

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

    void IConnectionResource.Abort(Exception? error)
    {
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
        _receive?.Dispose(); // a receive in flight completes (aborted) first
        _output.Abort();
        // A reset seen first by the output is still a reset to whoever reads the input.
        _input.Abort((Exception?)(error as ConnectionResetException) ?? new ConnectionAbortedException($"{this} was aborted by this side.", error));
    }

    void IConnectionResource.Release()
    {
        _ = LocalEndPoint;
        _input.Close(); // after Close(): the input ends here, whatever the peer does
        DiscardUnread();
        _socket.Dispose();
        _receive?.Dispose();
    }

    /// <summary>Reads and drops what has arrived and was not read: closing a socket with unread bytes makes the kernel
    /// send a reset instead of a clean close (the FIN already sent would be overtaken by it).</summary>
    private void DiscardUnread()
    {
        try
        {
            // Into the thread's slab without taking it (its free part is scratch until a read takes it). Bounded: a peer
            // that keeps sending cannot hold the thread; what is left then gets the kernel's reset.
            for (int i = 0; i < 64 && _socket.Available > 0; i++)
            {
                if (_socket.Receive(ReceiveSlab.Free(), SocketFlags.None, out var error) <= 0 || error != SocketError.Success)
                    return;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // closed already: nothing to discard
        }
    }

    void IConnectionResource.Closing(ConnectionClosed reason)
    {
        Log.Closed(Logger, this, reason);
        Metrics.Closed(_accepted, reason);
    }

    // A Closed subscriber threw (say, a Twisted ConnectionLost): log it, never crash the I/O thread.
    void IConnectionResource.ClosedSubscriberThrew(Exception error) => Log.SubscriberThrew(Logger, error, this);

    ValueTask IOutputDrain.SendAsync(OutputBatch batch)
    {
        Metrics.Sent(batch.Length);
        if (batch.Count > 1)
            return new ValueTask(_socket.SendAsync(batch.Segments, SocketFlags.None));
        // Try a non-blocking send first: most sends fit the socket's buffer at once, and a connection that never
        // has to wait never gets the socket's asynchronous send state (about 360 B per connection).
        var bytes = batch[0].AsMemory();
        int sent = _socket.Send(bytes.Span, SocketFlags.None, out var error);
        if (error == SocketError.Success && sent == bytes.Length)
            return default;
        if (error is not (SocketError.Success or SocketError.WouldBlock))
            return ValueTask.FromException(new SocketException((int)error));
        var sending = _socket.SendAsync(bytes[sent..], SocketFlags.None); // the rest, once the peer has read
        return sending.IsCompletedSuccessfully ? default : Await(sending);

        static async ValueTask Await(ValueTask<int> sending) => await sending.ConfigureAwait(false);
    }

    ValueTask IOutputDrain.ShutdownAsync()
    {
        _lifetime.OutputEnding(); // before the FIN, whose answer may come back at once
        _socket.Shutdown(SocketShutdown.Send);
        _lifetime.OutputEnded();
        return default;
    }

    void IOutputDrain.Failed(Exception error)
    {
        var typed = SocketErrors.ToConnectionError(error, this);
        Log.SendFailed(Logger, this, typed.Message);
        _lifetime.Fail(typed);
    }

    void IOutputDrain.Abort(Exception error) => _lifetime.Abort(error);

    void IOutputDrain.Drained() => _input.Wake();
}
