using System.IO.Compression;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>
/// Compresses the messages one side sends (RFC 7692 §7.2.1): raw deflate, ended by a sync flush whose trailing
/// <c>00 00 FF FF</c> is dropped. With context takeover one deflate stream serves every message; without, each message
/// gets a fresh one, disposed at once, so a socket between messages holds no zlib state.
/// </summary>
/// <remarks>.NET's deflate has no window-size setting (always 15 bits). A smaller negotiated window is kept by
/// compressing every message with a fresh context, so no back-reference reaches past the message's own start, and by
/// sending messages longer than the window uncompressed.</remarks>
internal sealed class MessageDeflater : IDisposable
{
    private const int KeptOutputCapacity = 64 * 1024;

    private static readonly byte[] EmptyMessage = [0x00]; // §7.2.3.6: an empty message compresses to one 0x00 byte

    private readonly ZLibCompressionOptions _level;
    private readonly bool _freshContext;
    private readonly int _maxInput;
    private MemoryStream? _output;
    private DeflateStream? _deflate;

    public MessageDeflater(int level, bool noContextTakeover, int windowBits)
    {
        _level = new ZLibCompressionOptions { CompressionLevel = level };
        _freshContext = noContextTakeover || windowBits < 15;
        _maxInput = windowBits < 15 ? 1 << windowBits : int.MaxValue;
    }

    /// <summary>Compresses <paramref name="message"/>; false when it goes out uncompressed (longer than a reduced
    /// window). The bytes are valid until the next call or <see cref="Done"/>.</summary>
    public bool TryCompress(ReadOnlySpan<byte> message, out ReadOnlyMemory<byte> compressed)
    {
        compressed = default;
        if (message.Length > _maxInput)
            return false;
        if (message.IsEmpty)
        {
            compressed = EmptyMessage;
            return true;
        }
        _output ??= new MemoryStream();
        _output.SetLength(0);
        _deflate ??= new DeflateStream(_output, _level, leaveOpen: true);
        _deflate.Write(message);
        _deflate.Flush(); // Z_SYNC_FLUSH: everything out, ending with an empty stored block
        var bytes = _output.GetBuffer().AsMemory(0, (int)_output.Length);
        if (bytes.Span.EndsWith(MessageInflater.Tail))
            bytes = bytes[..^MessageInflater.Tail.Length];
        compressed = bytes;
        return true;
    }

    /// <summary>The message is sent: a fresh context drops its deflate state now, and a large output buffer goes.</summary>
    public void Done()
    {
        if (_freshContext)
        {
            _deflate?.Dispose();
            _deflate = null;
        }
        if (_output is { Capacity: > KeptOutputCapacity })
        {
            // Shrunk, not replaced: with context takeover the deflate stream goes on writing into this very stream.
            _output.SetLength(0);
            _output.Capacity = KeptOutputCapacity;
        }
    }

    public void Dispose()
    {
        _deflate?.Dispose();
        _deflate = null;
        _output = null;
    }
}
