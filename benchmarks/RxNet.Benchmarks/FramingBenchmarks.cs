using System.Reactive.Disposables;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace RxNet.Benchmarks;

/// <summary>
/// Line decoding throughput: <see cref="LineCount"/> lines of 40 to 80 bytes (about 4 MiB) delivered
/// synchronously in chunks of <see cref="ChunkSize"/> bytes, through <c>LineFrames()</c> (frames as
/// bytes) and <c>Lines()</c> (frames as strings), each against a hand-written loop over the same chunks
/// (<c>IndexOf((byte)'\n')</c> and slicing, a copy only for a line that spans chunks, the same CR and
/// maximum-length checks) as its baseline.
/// </summary>
/// <remarks>
/// <para>One operation is one line (<c>OperationsPerInvoke</c>), so <c>Mean</c> is the time per line and
/// <c>Allocated</c> the bytes allocated per line, the frame included. The frame itself is 0 B for a line
/// inside one chunk (a slice), a new array for a line that spans chunks, and a string for
/// <c>Lines()</c>: the baselines allocate exactly that, so any difference is the operator's own.</para>
/// <para>The source is synchronous and not pausable: subscribing delivers every chunk and completes
/// before <c>Subscribe</c> returns, so the numbers are the decoder and the operators, with no transport,
/// thread hop or flow control.</para>
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Config))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class FramingBenchmarks
{
    /// <summary>Lines per run: one run decodes all of them.</summary>
    public const int LineCount = 70_000;

    private const int MaxLength = 16384; // LineOptions.Default.MaxLength

    private ReadOnlyMemory<byte>[] _chunks = [];
    private byte[] _spanning = new byte[MaxLength + 1]; // the baselines' buffer for a line across chunks
    private long _expectedBytes;

    /// <summary>Bytes per delivered chunk.</summary>
    [Params(1024, 64 * 1024)]
    public int ChunkSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var data = LineData(LineCount);
        _chunks = Chunk(data, ChunkSize);
        _expectedBytes = data.Length - LineCount; // every byte but the delimiters

        // Check that all four decode the same lines before measuring anything.
        Check(nameof(HandWrittenFrames), HandWrittenFrames);
        Check(nameof(LineFrames), LineFrames);
        Check(nameof(HandWrittenStrings), HandWrittenStrings);
        Check(nameof(Lines), Lines);
        Console.WriteLine($"// Framing: {LineCount} lines, {data.Length} bytes in {_chunks.Length} chunks of {ChunkSize} B");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = LineCount)]
    [BenchmarkCategory("Frames")]
    public long HandWrittenFrames()
    {
        var sink = new FrameSink();
        SplitLines(ref sink);
        return sink.Bytes;
    }

    [Benchmark(OperationsPerInvoke = LineCount)]
    [BenchmarkCategory("Frames")]
    public long LineFrames()
    {
        var sink = new FrameObserver();
        using (new ChunkSource(_chunks).LineFrames().Subscribe(sink))
            return sink.Bytes;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = LineCount)]
    [BenchmarkCategory("Strings")]
    public long HandWrittenStrings()
    {
        var sink = new StringSink();
        SplitLines(ref sink);
        return sink.Chars;
    }

    [Benchmark(OperationsPerInvoke = LineCount)]
    [BenchmarkCategory("Strings")]
    public long Lines()
    {
        var sink = new StringObserver();
        using (new ChunkSource(_chunks).Lines().Subscribe(sink))
            return sink.Chars;
    }

    /// <summary>The baseline: what a careful hand-written decoder does with the same chunks.</summary>
    private void SplitLines<TSink>(ref TSink sink)
        where TSink : struct, ILineSink
    {
        int spanning = 0; // bytes of a line begun in earlier chunks, in _spanning
        foreach (var chunk in _chunks)
        {
            var span = chunk.Span;
            int start = 0;
            while (true)
            {
                int newline = span[start..].IndexOf((byte)'\n');
                if (newline < 0)
                {
                    var rest = span[start..];
                    if (spanning + rest.Length > MaxLength + 1)
                        throw new InvalidDataException("line too long");
                    rest.CopyTo(_spanning.AsSpan(spanning));
                    spanning += rest.Length;
                    break;
                }
                ReadOnlyMemory<byte> line;
                if (spanning == 0)
                {
                    line = chunk.Slice(start, newline);
                }
                else
                {
                    var joined = new byte[spanning + newline];
                    _spanning.AsSpan(0, spanning).CopyTo(joined);
                    span.Slice(start, newline).CopyTo(joined.AsSpan(spanning));
                    line = joined;
                    spanning = 0;
                }
                if (line.Length > 0 && line.Span[^1] == (byte)'\r')
                    line = line[..^1];
                if (line.Length > MaxLength)
                    throw new InvalidDataException("line too long");
                sink.OnLine(line);
                start += newline + 1;
            }
        }
        if (spanning > 0)
            throw new InvalidDataException("unterminated last line");
    }

    private void Check(string name, Func<long> run)
    {
        long got = run();
        if (got != _expectedBytes)
            throw new InvalidOperationException($"{name} decoded {got} bytes of lines, expected {_expectedBytes}.");
    }

    /// <summary>Lines of 40 to 80 printable bytes (60 on average) and a <c>\n</c>, the same every run.</summary>
    internal static byte[] LineData(int lines)
    {
        var text = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            int length = 40 + (i * 37 % 41);
            for (int j = 0; j < length; j++)
                text.Append((char)('a' + ((i + j) % 26)));
            text.Append('\n');
        }
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>Consecutive slices of <paramref name="data"/>: what a transport hands <c>OnNext</c>.</summary>
    internal static ReadOnlyMemory<byte>[] Chunk(byte[] data, int size)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        for (int offset = 0; offset < data.Length; offset += size)
            chunks.Add(data.AsMemory(offset, Math.Min(size, data.Length - offset)));
        return [.. chunks];
    }

    /// <summary>Delivers its chunks, then completes, inside <c>Subscribe</c>.</summary>
    internal sealed class ChunkSource(ReadOnlyMemory<byte>[] chunks) : IObservable<ReadOnlyMemory<byte>>
    {
        public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer)
        {
            foreach (var chunk in chunks)
                observer.OnNext(chunk);
            observer.OnCompleted();
            return Disposable.Empty;
        }
    }

    private interface ILineSink
    {
        void OnLine(ReadOnlyMemory<byte> line);
    }

    private struct FrameSink : ILineSink
    {
        public long Bytes;

        public void OnLine(ReadOnlyMemory<byte> line) => Bytes += line.Length;
    }

    private struct StringSink : ILineSink
    {
        public long Chars;

        public void OnLine(ReadOnlyMemory<byte> line) => Chars += Encoding.UTF8.GetString(line.Span).Length;
    }

    /// <summary>Counts the bytes of the frames it is given; shared with <see cref="LengthFieldBenchmarks"/>.</summary>
    internal sealed class FrameObserver : IObserver<ReadOnlyMemory<byte>>
    {
        public long Bytes { get; private set; }

        public void OnNext(ReadOnlyMemory<byte> value) => Bytes += value.Length;

        public void OnError(Exception error) => throw error;

        public void OnCompleted()
        {
        }
    }

    private sealed class StringObserver : IObserver<string>
    {
        public long Chars { get; private set; }

        public void OnNext(string value) => Chars += value.Length;

        public void OnError(Exception error) => throw error;

        public void OnCompleted()
        {
        }
    }

    /// <summary>In-process, 3 warm-up and 10 measured iterations; shared with <see cref="LengthFieldBenchmarks"/>.</summary>
    internal sealed class Config : ManualConfig
    {
        public Config() =>
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(3)
                .WithIterationCount(10)
                .WithId("InProcess"));
    }
}
