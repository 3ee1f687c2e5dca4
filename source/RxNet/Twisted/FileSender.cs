namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>basic.FileSender</c>: a pull producer that sends a stream's contents to a consumer (a transport), one
/// chunk of at most <see cref="ChunkSize"/> bytes each time the consumer asks, optionally transformed on the way.
/// </summary>
/// <remarks>
/// <para>Registered as a pull producer (<c>streaming: false</c>), so on a transport the bytes queued never exceed the
/// output's high-water mark plus one chunk, however large the stream and however slow the peer.</para>
/// <para><b>Ownership.</b> The stream is read synchronously, from the consumer's calls; it is not disposed: dispose it
/// when the returned task has completed. One transfer per instance.</para>
/// </remarks>
/// <example>
/// <code>
/// public override void ConnectionMade() =>
///     _ = new FileSender().BeginFileTransferAsync(File.OpenRead(path), Transport)
///         .ContinueWith(_ => Transport.LoseConnection(), TaskScheduler.Default);
/// </code>
/// </example>
public sealed class FileSender : IPullProducer
{
    private Stream? _file;
    private IConsumer? _consumer;
    private Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? _transform;
    private TaskCompletionSource<byte?>? _done;
    private byte[]? _buffer;
    private byte? _lastSent;
    private int _chunkSize = 16384;

    /// <summary>The most bytes read and written per chunk: 16384 by default (Twisted's <c>CHUNK_SIZE</c>, 2^14).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int ChunkSize
    {
        get => _chunkSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _chunkSize = value;
        }
    }

    /// <summary>Starts sending <paramref name="file"/> to <paramref name="consumer"/>: registers this sender with it
    /// as a pull producer (Twisted's <c>beginFileTransfer</c>).</summary>
    /// <param name="file">The bytes to send, read from its current position to its end.</param>
    /// <param name="consumer">Where to write them, usually a protocol's <see cref="Protocol.Transport"/>.</param>
    /// <param name="transform">Applied to each chunk before it is written (Twisted's <c>transform</c>); the chunk it
    /// is given is valid only during the call, and what it returns is copied by the consumer.</param>
    /// <returns>Completes with the last byte written (<see langword="null"/> if none) once the stream has ended and the
    /// sender has unregistered; fails with <see cref="OperationCanceledException"/> if the consumer stops it first
    /// (the connection ended), or with the stream's or the transform's exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="file"/> or <paramref name="consumer"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A transfer was already begun with this sender.</exception>
    public Task<byte?> BeginFileTransferAsync(Stream file, IConsumer consumer, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? transform = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(consumer);
        if (_done is not null)
            throw new InvalidOperationException("A FileSender sends one stream; create another for the next.");
        _file = file;
        _consumer = consumer;
        _transform = transform;
        // Continuations run elsewhere: never inside the consumer's loop that asked for the last chunk.
        var done = _done = new TaskCompletionSource<byte?>(TaskCreationOptions.RunContinuationsAsynchronously);
        consumer.RegisterProducer(this, streaming: false);
        return done.Task;
    }

    /// <summary>Writes the next chunk; at the end of the stream, unregisters and completes the transfer.</summary>
    public void ResumeProducing()
    {
        if (_file is not { } file || _consumer is not { } consumer)
            return;
        int read;
        try
        {
            if (_buffer?.Length != _chunkSize)
                _buffer = new byte[_chunkSize];
            var buffer = _buffer;
            read = file.Read(buffer, 0, buffer.Length);
            if (read > 0)
            {
                ReadOnlyMemory<byte> chunk = buffer.AsMemory(0, read);
                if (_transform is { } transform)
                    chunk = transform(chunk);
                consumer.Write(chunk);
                if (!chunk.IsEmpty)
                    _lastSent = chunk.Span[^1];
                return;
            }
        }
        catch (Exception e)
        {
            Finish();
            _done?.TrySetException(e);
            throw;
        }
        Finish();
        _done?.TrySetResult(_lastSent);
    }

    /// <summary>Fails the transfer with <see cref="OperationCanceledException"/> if it has not finished.</summary>
    public void StopProducing()
    {
        _file = null;
        _done?.TrySetException(new OperationCanceledException("The consumer asked the FileSender to stop producing before the end of the file."));
    }

    private void Finish()
    {
        _file = null;
        _consumer?.UnregisterProducer();
    }
}
