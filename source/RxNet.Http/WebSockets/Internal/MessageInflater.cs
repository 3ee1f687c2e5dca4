using System.IO.Compression;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>
/// Decompresses the messages one side receives (RFC 7692 §7.2.2): each compressed message's frames are fed as they
/// come, <c>00 00 FF FF</c> is added at its end, and the output is read in steps of the caller's size, so a small
/// message that inflates to gigabytes is refused at the limit, not after. With context takeover one inflate stream
/// serves every message; without, each message gets a fresh one, disposed at its end.
/// </summary>
/// <remarks>A peer may end a message with a final block (BFINAL=1, RFC 7692 §7.2.3.3): its deflate stream then ends,
/// and under context takeover the next message is a new stream that still refers back into the previous messages'
/// 32 KiB window. .NET's inflater can neither go on after a final block nor be given a dictionary, so the last 32 KiB
/// inflated are kept, and a new inflater is primed with them as a stored block whose output is skipped.</remarks>
internal sealed class MessageInflater : IDisposable
{
    /// <summary>The end of a sync flush, which the sender drops and the receiver adds back.</summary>
    public static readonly byte[] Tail = [0x00, 0x00, 0xFF, 0xFF];

    /// <summary>The largest window a deflate stream refers back into (15 bits).</summary>
    private const int WindowSize = 32 * 1024;

    private readonly bool _freshContext;
    private InflateInput _input = new();
    private DeflateStream? _inflate;
    private byte[]? _window; // the last bytes inflated, under context takeover (a ring of WindowSize bytes)
    private long _inflated; // bytes written to the window
    private bool _messageStart = true;

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
            int read = _inflate.Read(destination);
            if (read == 0 && _messageStart && !_freshContext && _input.HasPending)
            {
                // The previous message ended its stream with a final block: this one is a new stream over the same window.
                Restart();
                read = _inflate.Read(destination);
            }
            if (read > 0)
            {
                _messageStart = false;
                if (!_freshContext)
                    Remember(destination[..read]);
            }
            return read;
        }
        catch (InvalidDataException e)
        {
            throw new WebSocketProtocolException(WebSocketCloseCode.InvalidPayloadData, $"A compressed message does not inflate: {e.Message}");
        }
    }

    private void Remember(ReadOnlySpan<byte> inflated)
    {
        _window ??= new byte[WindowSize];
        if (inflated.Length >= WindowSize)
            inflated = inflated[^WindowSize..];
        int at = (int)(_inflated % WindowSize);
        int first = Math.Min(inflated.Length, WindowSize - at);
        inflated[..first].CopyTo(_window.AsSpan(at));
        inflated[first..].CopyTo(_window);
        _inflated += inflated.Length;
    }

    /// <summary>A new inflater whose window holds what the old one's did: the kept bytes go first, as one stored
    /// block (BFINAL=0, BTYPE=00, LEN, NLEN), and are read back out and dropped before the message's own bytes.</summary>
    private void Restart()
    {
        int length = (int)Math.Min(_inflated, WindowSize);
        var history = new byte[5 + length];
        history[1] = (byte)length;
        history[2] = (byte)(length >> 8);
        history[3] = (byte)~length;
        history[4] = (byte)(~length >> 8);
        int start = (int)((_inflated - length) % WindowSize);
        int first = Math.Min(length, WindowSize - start);
        _window.AsSpan(start, first).CopyTo(history.AsSpan(5));
        _window.AsSpan(0, length - first).CopyTo(history.AsSpan(5 + first));
        var input = new InflateInput();
        input.Add(history);
        _input.MoveTo(input);
        _input = input;
        _inflate!.Dispose();
        _inflate = new DeflateStream(_input, CompressionMode.Decompress, leaveOpen: true);
        Span<byte> skip = stackalloc byte[1024];
        for (int skipped = 0; skipped < length;)
        {
            int read = _inflate.Read(skip[..Math.Min(skip.Length, length - skipped)]);
            if (read == 0)
                throw new InvalidDataException("The kept window did not inflate back.");
            skipped += read;
        }
    }

    /// <summary>The message is read out: a fresh context drops its inflate state now.</summary>
    public void Done()
    {
        _input.Clear();
        _messageStart = true;
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

        /// <summary>Whether bytes were fed that the inflate stream has not taken.</summary>
        public bool HasPending => _pieces.Count > 0;

        /// <summary>Hands the bytes not yet taken to <paramref name="other"/>.</summary>
        public void MoveTo(InflateInput other)
        {
            while (_pieces.TryDequeue(out var piece))
            {
                other.Add(piece[_offset..]);
                _offset = 0;
            }
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
