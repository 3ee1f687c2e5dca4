using System.IO.Compression;

namespace RxNet.Http.Client.Policies.Internal;

/// <summary>
/// Undoes a response's content codings (gzip, deflate, br) with System.IO.Compression, over bytes pushed in as they
/// arrive (<see cref="Feed"/>) and decoded bytes pulled out into a caller's buffer (<see cref="Read"/>), so what is
/// inflated at a time is bounded by that buffer: a decompression bomb inflates only as far as it is read.
/// </summary>
/// <remarks>
/// <para><c>deflate</c> is, by RFC 9110 §8.4.1.2, zlib-wrapped; some servers send raw deflate, which browsers
/// accept, so the first two bytes decide (a zlib header is <c>CM = 8</c> with a check that makes the pair a multiple
/// of 31; raw deflate's first byte can make that pair by chance only when its block type is invalid).
/// Codings applied in layers (<c>Content-Encoding: gzip, br</c>) are undone from the last.</para>
/// <para>A body cut short decodes silently as far as it goes (the .NET decompressors cannot tell it from a pause);
/// the agent's framing reports a body that ended early.</para>
/// <para>Not thread-safe apart from <see cref="Feed"/>: one reader at a time.</para>
/// </remarks>
internal sealed class ContentDecoder : IDisposable
{
    private readonly FeedStream _feed = new();
    private readonly string[] _codings;
    private Stream? _decoder;
    private bool _ended;

    /// <param name="codings">The codings to undo, the last applied first (lower case, <c>x-gzip</c> as <c>gzip</c>).</param>
    public ContentDecoder(string[] codings) => _codings = codings;

    /// <summary>Whether this decoder undoes <paramref name="coding"/>.</summary>
    public static bool Knows(string coding) => coding is "gzip" or "x-gzip" or "deflate" or "br";

    /// <summary>Queues compressed bytes.</summary>
    public void Feed(ReadOnlyMemory<byte> chunk) => _feed.Feed(chunk);

    /// <summary>No more compressed bytes will come.</summary>
    public void End() => _ended = true;

    /// <summary>Decodes into <paramref name="buffer"/>.</summary>
    /// <returns>How many decoded bytes were written; 0 when the queued bytes give no more (yet, or ever once ended).</returns>
    /// <exception cref="InvalidDataException">The bytes are not valid data of their coding.</exception>
    public int Read(Span<byte> buffer)
    {
        if (_decoder is null)
        {
            if (_feed.Queued < 2 && !_ended)
                return 0; // deflate's first two bytes decide its wrapping
            Stream stream = _feed;
            for (int i = 0; i < _codings.Length; i++)
                stream = Decompressor(stream, _codings[i], outermost: i == 0);
            _decoder = stream;
        }
        return _decoder.Read(buffer);
    }

    public void Dispose()
    {
        _decoder?.Dispose();
        _feed.Dispose();
    }

    private Stream Decompressor(Stream source, string coding, bool outermost) => coding switch
    {
        "gzip" or "x-gzip" => new GZipStream(source, CompressionMode.Decompress),
        "br" => new BrotliStream(source, CompressionMode.Decompress),
        _ => outermost && !StartsWithZlibHeader() ? new DeflateStream(source, CompressionMode.Decompress) : new ZLibStream(source, CompressionMode.Decompress),
    };

    private bool StartsWithZlibHeader()
    {
        Span<byte> head = stackalloc byte[2];
        return _feed.Peek(head) == 2 && (head[0] & 0x0F) == 8 && (head[0] >> 4) <= 7 && ((head[0] << 8) | head[1]) % 31 == 0;
    }
}
