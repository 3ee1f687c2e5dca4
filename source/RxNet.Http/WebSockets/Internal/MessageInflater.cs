using System.IO.Compression;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>
/// Decompresses the messages one side receives (RFC 7692 §7.2.2): each compressed message's frames are fed as they
/// come, <c>00 00 FF FF</c> is added at its end, and the output is read in steps of the caller's size, so a small
/// message that inflates to gigabytes is refused at the limit, not after. With context takeover one inflate stream
/// serves every message; without, each message gets a fresh one, disposed at its end.
/// </summary>
internal sealed class MessageInflater : IDisposable
{
    /// <summary>The end of a sync flush, which the sender drops and the receiver adds back.</summary>
    public static readonly byte[] Tail = [0x00, 0x00, 0xFF, 0xFF];

    private readonly bool _freshContext;
    private readonly InflateInput _input = new();
    private DeflateStream? _inflate;

    public MessageInflater(bool noContextTakeover) => _freshContext = noContextTakeover;

    /// <summary>Takes compressed bytes of the current message (kept, not copied: received payloads never change).</summary>
    public void Feed(ReadOnlyMemory<byte> compressed) => _input.Add(compressed);

    /// <summary>The message's last frame was fed.</summary>
    public void EndMessage() => _input.Add(Tail);

    /// <summary>Inflates into <paramref name="destination"/>; 0 when the bytes fed so far are used up.</summary>
    /// <exception cref="WebSocketProtocolException">The bytes are not deflate data (1007).</exception>
    public int Read(Span<byte> destination)
    {
        _inflate ??= new DeflateStream(_input, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            return _inflate.Read(destination);
        }
        catch (InvalidDataException e)
        {
            throw new WebSocketProtocolException(WebSocketCloseCode.InvalidPayloadData, $"A compressed message does not inflate: {e.Message}");
        }
    }

    /// <summary>The message is read out: a fresh context drops its inflate state now.</summary>
    public void Done()
    {
        _input.Clear();
        if (_freshContext)
        {
            _inflate?.Dispose();
            _inflate = null;
        }
    }

    public void Dispose()
    {
        _inflate?.Dispose();
        _inflate = null;
        _input.Clear();
    }

    /// <summary>The compressed bytes fed and not yet read by the inflate stream: a read with nothing left returns 0,
    /// which the inflate stream passes on without ending (more may be fed later).</summary>
    private sealed class InflateInput : Stream
    {
        private readonly Queue<ReadOnlyMemory<byte>> _pieces = new();
        private int _offset; // into the first piece

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public void Add(ReadOnlyMemory<byte> piece)
        {
            if (!piece.IsEmpty)
                _pieces.Enqueue(piece);
        }

        public void Clear()
        {
            _pieces.Clear();
            _offset = 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read = 0;
            while (read < buffer.Length && _pieces.TryPeek(out var piece))
            {
                var rest = piece.Span[_offset..];
                int take = Math.Min(rest.Length, buffer.Length - read);
                rest[..take].CopyTo(buffer[read..]);
                read += take;
                _offset += take;
                if (_offset == piece.Length)
                {
                    _pieces.Dequeue();
                    _offset = 0;
                }
            }
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
