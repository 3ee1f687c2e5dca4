namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// Keeps <c>SSL_shutdown</c> out of OpenSSL while a read is inside <c>SSL_read</c> on the same session.
/// <see cref="System.Net.Security.SslStream"/> serializes its decryption and encryption with a lock of its own, but
/// <see cref="System.Net.Security.SslStream.ShutdownAsync"/> creates the close_notify without taking it: a close
/// racing a read then runs two OpenSSL calls on one session at once, which corrupts the native heap (and, more
/// mildly, fails with "shutdown while in init" when the read is half-way through a session ticket).
/// </summary>
/// <remarks>The read loop holds the gate for the whole of each read, except while it is parked in
/// <see cref="ConnectionStream"/> waiting for bytes from underneath (no OpenSSL call is running then): a read that
/// waits for a peer that never sends must not keep a close out. A close holds it only while the close_notify is
/// made, not while it is written, so a full connection underneath never keeps a read out either.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "A SemaphoreSlim needs disposing only once its AvailableWaitHandle was asked for, which this one never is.")]
internal sealed class TlsSessionGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _readerInside; // touched only by the read in flight (the read loop runs one read at a time)

    /// <summary>Waits until no close is being made, then lets a read in.</summary>
    public async Task EnterReadAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        _readerInside = true;
    }

    /// <summary>The read is done (returned or failed).</summary>
    public void ExitRead()
    {
        _readerInside = false;
        _gate.Release();
    }

    /// <summary>Called where a read waits for bytes from underneath: lets a close in meanwhile.
    /// <see langword="false"/> when the caller is not a gated read (the handshake's reads are not).</summary>
    public bool Park()
    {
        if (!_readerInside)
            return false;
        _readerInside = false;
        _gate.Release();
        return true;
    }

    /// <summary>The parked read has its bytes (or its error): it takes the gate back before it goes on.</summary>
    public async Task UnparkAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        _readerInside = true;
    }

    /// <summary>Makes the close_notify with no read inside OpenSSL and returns the task that writes it.</summary>
    public async Task<Task> ShutdownAsync(System.Net.Security.SslStream ssl)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return ssl.ShutdownAsync();
        }
        finally
        {
            _gate.Release();
        }
    }
}
