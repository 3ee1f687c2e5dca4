using System.Net.Security;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// Owns an <see cref="SslStream"/>'s lifetime. Disposing an <see cref="SslStream"/> frees its native TLS session at
/// once, even while another thread is inside <c>SSL_read</c>, <c>SSL_write</c> or <c>SSL_shutdown</c> on it: a
/// use-after-free whose timing a peer can steer with a reset. So every operation on the stream (handshake, read,
/// write, shutdown) runs inside <see cref="TryEnter"/>/<see cref="Exit"/>, and <see cref="Release"/> frees the stream
/// only once no operation is inside it; until then the last one out frees it.
/// </summary>
/// <remarks>Releasing does not wake an operation that waits for the connection underneath: whoever releases first
/// aborts or ends that connection's stream, so the waiting operation fails or returns and exits.</remarks>
internal sealed class SslStreamLease
{
    private readonly SslStream _ssl;
    private readonly object _lock = new();
    private int _inside;
    private bool _released;
    private bool _freed;

    public SslStreamLease(SslStream ssl, TlsSessionGate gate)
    {
        _ssl = ssl;
        Gate = gate;
    }

    /// <summary>Keeps a close out of OpenSSL while a read is inside it (see <see cref="TlsSessionGate"/>).</summary>
    public TlsSessionGate Gate { get; }

    /// <summary>The stream; use it only between <see cref="TryEnter"/> and <see cref="Exit"/>.</summary>
    public SslStream Stream => _ssl;

    /// <summary>Whether the stream was released: nothing may start on it any more.</summary>
    public bool IsReleased
    {
        get
        {
            lock (_lock)
                return _released;
        }
    }

    /// <summary>Marks an operation as inside the stream; <see langword="false"/> once it is released (do not touch it then).</summary>
    public bool TryEnter()
    {
        lock (_lock)
        {
            if (_released)
                return false;
            _inside++;
            return true;
        }
    }

    /// <summary>Marks the operation entered last as done; frees the stream if it was released meanwhile.</summary>
    public void Exit()
    {
        lock (_lock)
        {
            _inside--;
            if (!_released || _inside > 0 || _freed)
                return;
            _freed = true;
        }
        _ssl.Dispose();
    }

    /// <summary>Frees the stream now if nothing is inside it, else as the last operation exits. Idempotent.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _released = true;
            if (_inside > 0 || _freed)
                return;
            _freed = true;
        }
        _ssl.Dispose();
    }
}
