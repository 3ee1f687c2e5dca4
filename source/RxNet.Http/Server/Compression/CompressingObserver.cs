using System.IO.Compression;

namespace RxNet.Http.Server.Compression;

/// <summary>
/// The sink of a compressed body: compresses each source chunk, flushes the compressor so that what the chunk said can
/// be decoded at once (a stream of server-sent events still streams), and passes the compressed bytes on as one new
/// chunk. Nothing but the compressor's window and one pooled buffer is held.
/// </summary>
/// <remarks>Source notifications are serialized (the Rx grammar); <see cref="Dispose"/> may race with them, so the
/// compressor is used under a lock, and the downstream observer is called outside it.</remarks>
internal sealed class CompressingObserver : IObserver<ReadOnlyMemory<byte>>, IDisposable
{
    private readonly IObserver<ReadOnlyMemory<byte>> _downstream;
    private readonly PooledBufferStream _buffer = new();
    private readonly Stream _compressor;
    private readonly object _gate = new();
    private readonly ContentCoding _coding;
    private IDisposable? _upstream;
    private bool _stopped;
    private bool _wrote;

    public CompressingObserver(IObserver<ReadOnlyMemory<byte>> downstream, ContentCoding coding)
    {
        _downstream = downstream;
        _coding = coding;
        _compressor = ResponseCompression.CreateCompressor(_buffer, coding);
    }

    /// <summary>Sets the source subscription, disposed with this one.</summary>
    public void SetUpstream(IDisposable upstream)
    {
        bool stopped;
        lock (_gate)
        {
            stopped = _stopped && _upstream is null;
            _upstream = upstream;
        }
        if (stopped)
            upstream.Dispose(); // disposed before the source's Subscribe returned
    }

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (value.IsEmpty)
            return;
        byte[]? compressed;
        Exception? failure = null;
        IDisposable? upstream = null;
        lock (_gate)
        {
            if (_stopped)
                return;
            try
            {
                _compressor.Write(value.Span);
                _wrote = true;
                _compressor.Flush();
                compressed = _buffer.Take();
            }
            catch (Exception error) when (error is IOException or InvalidOperationException)
            {
                compressed = null;
                failure = error;
                upstream = _upstream;
                Release();
            }
        }
        if (failure is not null)
        {
            upstream?.Dispose();
            _downstream.OnError(failure);
        }
        else if (compressed is not null)
        {
            _downstream.OnNext(compressed);
        }
    }

    public void OnCompleted()
    {
        byte[]? last;
        lock (_gate)
        {
            if (_stopped)
                return;
            _compressor.Dispose(); // writes the final block (and gzip's trailer) into the buffer
            last = _wrote ? _buffer.Take() : ResponseCompression.EmptyStream(_coding); // a compressor given nothing writes nothing
            Release();
        }
        if (last is not null)
            _downstream.OnNext(last);
        _downstream.OnCompleted();
    }

    public void OnError(Exception error)
    {
        lock (_gate)
        {
            if (_stopped)
                return;
            Release();
        }
        _downstream.OnError(error);
    }

    public void Dispose()
    {
        IDisposable? upstream;
        lock (_gate)
        {
            upstream = _upstream;
            Release();
        }
        upstream?.Dispose();
    }

    /// <summary>Stops and frees the compressor and the buffer. Called under the lock; idempotent.</summary>
    private void Release()
    {
        if (_stopped)
            return;
        _stopped = true;
        _compressor.Dispose();
        _buffer.Dispose();
    }
}
