using System.Buffers;
using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace RxNet.Testing;

/// <summary>
/// Chunkings as data, for specs of decoders and protocols: the same bytes cut every way, at every size, or
/// at sizes you choose, then run through a decoder synchronously. Twisted's "feed it one byte at a time,
/// then all at once" loop, and Netty's <c>EmbeddedChannel</c> for codecs.
/// </summary>
/// <remarks>
/// <para>A connection's input may cut a stream anywhere: a decoder or protocol is only right if it gives the
/// same result under every cut. <see cref="All"/> enumerates every cut of a short input;
/// <see cref="Boundaries"/> every cut into two or three chunks of a longer one; <see cref="Every"/> and
/// <see cref="Cut"/> cut at fixed sizes; <see cref="Decode"/> feeds the
/// chunks to a decoding pipeline and reports what came out.</para>
/// <para>Every chunk is a fresh array the caller owns, as a connection's chunks are. Nothing here touches a
/// scheduler, a thread or a clock.</para>
/// </remarks>
/// <example>
/// <code>
/// foreach (var chunks in Chunking.All("a\r\nb\n"u8.ToArray()))
/// {
///     var run = Chunking.Decode(chunks, input => input.Lines());
///     Assert.Equal(["a", "b"], run.Frames);
///     Assert.True(run.Completed);
/// }
/// </code>
/// </example>
public static class Chunking
{
    /// <summary>The longest input <see cref="All"/> accepts: 24 bytes, that is 8 388 608 chunkings (seconds of
    /// decoding). Keep inputs shorter where you can: each byte doubles the count.</summary>
    public const int MaxAllLength = 24;

    /// <summary>
    /// Every way to cut <paramref name="bytes"/> into non-empty chunks, in order: the 2^(n-1) chunkings of
    /// n bytes, from the whole input as one chunk to one chunk per byte. Empty input gives one chunking
    /// with no chunks.
    /// </summary>
    /// <param name="bytes">The input, at most <see cref="MaxAllLength"/> bytes.</param>
    /// <returns>The chunkings, computed lazily as enumerated.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="bytes"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is longer than
    /// <see cref="MaxAllLength"/> (the count doubles with every byte); cut a long input with
    /// <see cref="Every"/> or <see cref="Cut"/> instead.</exception>
    public static IEnumerable<byte[][]> All(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes.Length, MaxAllLength, nameof(bytes));
        return AllCuts(bytes);
    }

    /// <summary>
    /// The cuts that matter most for an input too long for <see cref="All"/>: the whole input as one chunk,
    /// one chunk per byte, and every cut into two or three chunks (each boundary, each pair of boundaries).
    /// About n²/2 chunkings of n bytes: every place a decoder's state can be interrupted, once or twice.
    /// </summary>
    /// <param name="bytes">The input, any length (mind the square: 1 000 bytes give about 500 000 chunkings).</param>
    /// <returns>The chunkings, computed lazily as enumerated; empty input gives one chunking with no chunks.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="bytes"/> is null.</exception>
    public static IEnumerable<byte[][]> Boundaries(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return BoundaryCuts(bytes);
    }

    /// <summary>Cuts <paramref name="bytes"/> into chunks of <paramref name="size"/> bytes; the last one may be shorter.</summary>
    /// <param name="bytes">The input.</param>
    /// <param name="size">The chunk size, 1 or more: 1 delivers byte by byte.</param>
    /// <returns>The chunks, in order; none for empty input.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="bytes"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is below 1.</exception>
    public static byte[][] Every(byte[] bytes, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        return Cut(bytes, size);
    }

    /// <summary>
    /// Cuts <paramref name="bytes"/> into chunks of the given sizes, taken in turn and cyclically:
    /// <c>Cut(bytes, 1, 3)</c> gives chunks of 1, 3, 1, 3, ... bytes; the last one may be shorter.
    /// </summary>
    /// <param name="bytes">The input.</param>
    /// <param name="sizes">The chunk sizes, each 1 or more.</param>
    /// <returns>The chunks, in order; none for empty input.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="bytes"/> or <paramref name="sizes"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="sizes"/> is empty, or holds a size below 1.</exception>
    public static byte[][] Cut(byte[] bytes, params int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length == 0 || sizes.Any(s => s < 1))
            throw new ArgumentException("Give at least one chunk size, each 1 or more.", nameof(sizes));
        var chunks = new List<byte[]>();
        int at = 0;
        for (int i = 0; at < bytes.Length; i++)
        {
            int size = Math.Min(sizes[i % sizes.Length], bytes.Length - at);
            chunks.Add(bytes[at..(at + size)]);
            at += size;
        }
        return [.. chunks];
    }

    /// <summary>
    /// Feeds <paramref name="chunks"/>, then the end of input, to the pipeline <paramref name="decode"/>
    /// builds, synchronously on the calling thread, and reports everything it produced.
    /// </summary>
    /// <typeparam name="T">What the pipeline produces: frames, lines, messages.</typeparam>
    /// <param name="chunks">The input, chunk by chunk, as a connection would deliver it.</param>
    /// <param name="decode">Builds the pipeline over an input, as it would over <c>connection.Input</c>:
    /// <c>input => input.Lines()</c>.</param>
    /// <returns>The values produced, in order, then the error or the completion, if either came.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>The input is an ordinary observable (it cannot pause), and completes after the last chunk.
    /// The pipeline must not introduce concurrency or time (no <c>ObserveOn</c>, no timers): what it has
    /// not produced when the input ends is not waited for.</remarks>
    public static DecodedChunks<T> Decode<T>(IEnumerable<byte[]> chunks, Func<IObservable<ReadOnlyMemory<byte>>, IObservable<T>> decode)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(decode);
        var frames = new List<T>();
        Exception? error = null;
        bool completed = false;
        using var _ = decode(chunks.Select(c => (ReadOnlyMemory<byte>)c).ToObservable(ImmediateScheduler.Instance))
            .Subscribe(frames.Add, e => error = e, () => completed = true);
        return new DecodedChunks<T>(frames, error, completed);
    }

    /// <summary>Encodes <paramref name="frames"/> one after the other: the byte stream to cut and decode again.</summary>
    /// <typeparam name="T">The frame type.</typeparam>
    /// <param name="encoder">The encoder, as a codec gives it.</param>
    /// <param name="frames">The frames, in order.</param>
    /// <returns>All the encoded bytes.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static byte[] EncodeAll<T>(IEncoder<T> encoder, IEnumerable<T> frames)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(frames);
        var output = new ArrayBufferWriter<byte>();
        foreach (var frame in frames)
            encoder.Encode(frame, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A <see cref="ReadOnlySequence{T}"/> of one segment per part (<see cref="ChunkSegment.Sequence"/>), as a decoder's buffer of received chunks
    /// is: for specs of an <see cref="IDecoder{T}"/> that must read across segment boundaries.
    /// </summary>
    /// <param name="parts">The segments, in order; at least one.</param>
    /// <returns>The sequence over the parts (not copied).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parts"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="parts"/> is empty.</exception>
    public static ReadOnlySequence<byte> Sequence(params byte[][] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0)
            throw new ArgumentException("Give at least one part.", nameof(parts));
        return ChunkSegment.Sequence(Array.ConvertAll(parts, part => (ReadOnlyMemory<byte>)part));
    }

    private static IEnumerable<byte[][]> AllCuts(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            yield return [];
            yield break;
        }
        // Each of the n-1 gaps between bytes is cut or not: one bit of the mask per gap.
        int cuts = bytes.Length - 1;
        for (long mask = 0; mask < 1L << cuts; mask++)
        {
            var chunks = new List<byte[]>();
            int start = 0;
            for (int i = 0; i < cuts; i++)
            {
                if ((mask & (1L << i)) != 0)
                {
                    chunks.Add(bytes[start..(i + 1)]);
                    start = i + 1;
                }
            }
            chunks.Add(bytes[start..]);
            yield return [.. chunks];
        }
    }

    private static IEnumerable<byte[][]> BoundaryCuts(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            yield return [];
            yield break;
        }
        yield return [bytes];
        if (bytes.Length > 1)
            yield return [.. bytes.Select(b => new[] { b })];
        for (int i = 1; i < bytes.Length; i++)
        {
            yield return [bytes[..i], bytes[i..]];
            for (int j = i + 1; j < bytes.Length; j++)
                yield return [bytes[..i], bytes[i..j], bytes[j..]];
        }
    }
}
