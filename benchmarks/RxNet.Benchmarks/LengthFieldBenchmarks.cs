using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;

namespace RxNet.Benchmarks;

/// <summary>
/// Length-prefixed decoding throughput: <see cref="FrameCount"/> frames of 40 to 80 bytes, each after a
/// 4-byte big-endian length (about 4.3 MiB), delivered synchronously in chunks of <see cref="ChunkSize"/>
/// bytes through <c>Decode(new LengthFieldCodec())</c>, against a hand-written loop over the same chunks
/// (<c>BinaryPrimitives.ReadInt32BigEndian</c> and slicing, a copy only for a frame that spans chunks,
/// the same maximum-length check).
/// </summary>
/// <remarks>One operation is one frame (<c>OperationsPerInvoke</c>): <c>Mean</c> is per frame and
/// <c>Allocated</c> is bytes per frame, the frame included (0 B for a slice of a chunk, a new array for a
/// frame across chunks; the baseline allocates exactly that). See <see cref="FramingBenchmarks"/>.</remarks>
[MemoryDiagnoser]
[Config(typeof(FramingBenchmarks.Config))]
public class LengthFieldBenchmarks
{
    /// <summary>Frames per run: one run decodes all of them.</summary>
    public const int FrameCount = 70_000;

    private const int Prefix = 4;
    private const int MaxFrameLength = Prefix + 99999; // LengthFieldOptions.Int32Prefixed.MaxFrameLength

    private ReadOnlyMemory<byte>[] _chunks = [];
    private byte[] _spanning = new byte[MaxFrameLength];
    private readonly LengthFieldCodec _codec = new(LengthFieldOptions.Int32Prefixed);
    private long _expectedBytes;

    /// <summary>Bytes per delivered chunk.</summary>
    [Params(1024, 64 * 1024)]
    public int ChunkSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var data = FrameData(FrameCount);
        _chunks = FramingBenchmarks.Chunk(data, ChunkSize);
        _expectedBytes = data.Length - (long)Prefix * FrameCount;

        Check(nameof(HandWrittenFrames), HandWrittenFrames);
        Check(nameof(LengthFieldFrames), LengthFieldFrames);
        Console.WriteLine($"// LengthField: {FrameCount} frames, {data.Length} bytes in {_chunks.Length} chunks of {ChunkSize} B");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FrameCount)]
    public long HandWrittenFrames()
    {
        long bytes = 0;
        int have = 0; // bytes of a frame (prefix included) begun in earlier chunks, in _spanning
        foreach (var chunk in _chunks)
        {
            var span = chunk.Span;
            int start = 0;
            if (have > 0)
            {
                if (have < Prefix)
                {
                    int header = Math.Min(Prefix - have, span.Length);
                    span[..header].CopyTo(_spanning.AsSpan(have));
                    have += header;
                    start = header;
                    if (have < Prefix)
                        continue;
                }
                int total = Prefix + Length(_spanning);
                int take = Math.Min(total - have, span.Length - start);
                span.Slice(start, take).CopyTo(_spanning.AsSpan(have));
                have += take;
                start += take;
                if (have < total)
                    continue;
                bytes += Frame(_spanning.AsSpan(Prefix, total - Prefix).ToArray());
                have = 0;
            }
            while (span.Length - start >= Prefix)
            {
                int length = Length(span[start..]);
                if (span.Length - start - Prefix < length)
                    break;
                bytes += Frame(chunk.Slice(start + Prefix, length));
                start += Prefix + length;
            }
            span[start..].CopyTo(_spanning);
            have = span.Length - start;
        }
        if (have > 0)
            throw new InvalidDataException("the stream ended inside a frame");
        return bytes;
    }

    [Benchmark(OperationsPerInvoke = FrameCount)]
    public long LengthFieldFrames()
    {
        var sink = new FramingBenchmarks.FrameObserver();
        using (new FramingBenchmarks.ChunkSource(_chunks).Decode(_codec).Subscribe(sink))
            return sink.Bytes;
    }

    private static int Length(ReadOnlySpan<byte> header)
    {
        int length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length < 0 || Prefix + (long)length > MaxFrameLength)
            throw new InvalidDataException("frame too large");
        return length;
    }

    private static int Frame(ReadOnlyMemory<byte> frame) => frame.Length;

    private void Check(string name, Func<long> run)
    {
        long got = run();
        if (got != _expectedBytes)
            throw new InvalidOperationException($"{name} decoded {got} bytes of frames, expected {_expectedBytes}.");
    }

    /// <summary>Frames of 40 to 80 bytes (60 on average), each after its 4-byte big-endian length.</summary>
    private static byte[] FrameData(int frames)
    {
        var data = new List<byte>();
        Span<byte> prefix = stackalloc byte[Prefix];
        for (int i = 0; i < frames; i++)
        {
            int length = 40 + (i * 37 % 41);
            BinaryPrimitives.WriteInt32BigEndian(prefix, length);
            data.AddRange(prefix);
            for (int j = 0; j < length; j++)
                data.Add((byte)('a' + ((i + j) % 26)));
        }
        return [.. data];
    }
}
