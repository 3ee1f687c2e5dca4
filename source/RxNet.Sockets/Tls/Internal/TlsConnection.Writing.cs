using RxNet.Transport;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// The drain of a TLS connection's output (its <see cref="IOutputDrain"/>): batches of one record's worth of plain
/// text are encrypted into the SslStream, inside its lease, so the water marks count what is not yet handed to the
/// connection underneath; on completion the close_notify is made under the session gate (never while a read is inside
/// OpenSSL), then the connection underneath is half-closed.
/// </summary>
internal sealed partial class TlsConnection : IOutputDrain
{
    // One record per batch: pending bytes fall (and Writable turns true) record by record, and an abort stops the
    // encryption at the next record.
    long IOutputDrain.Room => RecordSize;

    void IOutputDrain.ScheduleDrain(TransportOutput queue)
    {
        if (!ConnectionTurn.TryEnlist(queue))
            _dispatch.Post(queue);
    }

    async ValueTask IOutputDrain.SendAsync(OutputBatch batch)
    {
        if (!_ssl.TryEnter())
            throw SessionClosed();
        try
        {
            for (int i = 0; i < batch.Count; i++)
                await _ssl.Stream.WriteAsync(batch[i].AsMemory()).ConfigureAwait(false);
        }
        finally
        {
            _ssl.Exit();
        }
    }

    async ValueTask IOutputDrain.ShutdownAsync()
    {
        _lifetime.OutputEnding(); // before the close_notify, whose answer may come back at once
        if (!_ssl.TryEnter())
            throw SessionClosed();
        try
        {
            var writing = await _ssl.Gate.ShutdownAsync(_ssl.Stream).ConfigureAwait(false);
            await writing.ConfigureAwait(false);
        }
        catch (Exception e) when (!_stream.Faulted)
        {
            // OpenSSL refuses close_notify in some states ("shutdown while in init": a post-handshake message such as a
            // session ticket is half processed). Everything written was encrypted and handed on already, so the
            // connection underneath is still half-closed: the peer gets all the data, only without close_notify.
            TlsLog.CloseNotifyFailed(Logger, this, e.Message);
        }
        finally
        {
            _ssl.Exit();
        }
        Interlocked.Exchange(ref _shutDown, 1);
        if (Volatile.Read(ref _closing) != 0)
            _inner.Close(); // close_notify is out: now the FIN, and the connection underneath closes
        else
            _inner.Output.OnCompleted(); // close_notify is out: now the FIN
        _lifetime.OutputEnded();
    }

    void IOutputDrain.Failed(Exception error) => _lifetime.Fail(Fault(error));

    void IOutputDrain.Abort(Exception error) => Abort(error);

    void IOutputDrain.Drained() => _input.Wake();
}
