namespace RxNet.Http.Client.Policies.Internal;

/// <summary>
/// The compressed bytes a decompressor reads, fed chunk by chunk as they arrive: <see cref="Read(Span{byte})"/>
/// returns 0 while nothing is queued, which <c>DeflateStream</c>, <c>GZipStream</c>, <c>ZLibStream</c> and
/// <c>BrotliStream</c> take as "no more for now" and ask again on their next read, so a pull-based decompressor
/// decodes a pushed stream.
/// </summary>
/// <remarks>Chunks are kept by reference (they never change once delivered). Feeding and reading may come from
/// different threads (the source's, the consumer's demand), hence the lock; reads are made by one thread at a time.</remarks>
internal sealed class FeedStream : Stream
{
    private readonly Lock _gate = new();
    private readonly Queue<ReadOnlyMemory<byte>> _chunks = new();
    private int _queued;
    private int _offset; // bytes of the head chunk already read

    /// <summary>How many bytes are queued.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
                return _queued;
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Queues a chunk.</summary>
    public void Feed(ReadOnlyMemory<byte> chunk)
    {
        lock (_gate)
        {
            _chunks.Enqueue(chunk);
            _queued += chunk.Length;
        }
    }

    /// <summary>Copies the first queued bytes into <paramref name="into"/> without consuming them.</summary>
    /// <returns>How many were copied.</returns>
    public int Peek(Span<byte> into)
    {
        lock (_gate)
        {
            int copied = 0;
            int skip = _offset;
            foreach (var whole in _chunks)
            {
                var chunk = whole[skip..];
                skip = 0;
                int n = Math.Min(chunk.Length, into.Length - copied);
                chunk.Span[..n].CopyTo(into[copied..]);
                copied += n;
                if (copied == into.Length)
                    break;
            }
            return copied;
        }
    }

    public override int Read(Span<byte> buffer)
    {
        lock (_gate)
        {
            int read = 0;
            while (read < buffer.Length && _chunks.Count > 0)
            {
                var chunk = _chunks.Peek()[_offset..];
                int n = Math.Min(chunk.Length, buffer.Length - read);
                chunk.Span[..n].CopyTo(buffer[read..]);
                read += n;
                _offset += n;
                if (n == chunk.Length)
                {
                    _chunks.Dequeue();
                    _offset = 0;
                }
            }
            _queued -= read;
            return read;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
