using System.Buffers;
using BenchmarkDotNet.Attributes;
using RxNet.Http;

namespace RxNet.Benchmarks;

/// <summary>
/// The WebSocket frame codec alone, per frame of <see cref="Size"/> bytes: a server decoding a client's masked binary
/// frame, a server encoding an unmasked one, a client encoding a masked one (a fresh key per frame).
/// </summary>
/// <remarks>
/// <para>No I/O, no scheduler: the frame's bytes are one segment in memory, and the encoders write into one
/// <see cref="ArrayBufferWriter{T}"/> reused across operations. <c>Allocated</c> is the codec's own: for a decode, the
/// unmasked payload (a masked payload cannot be lent in place) and the frame; for an encode, nothing but what the
/// writer has to grow.</para>
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(FramingBenchmarks.Config))]
public class WebSocketCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(128 * 1024);
    private readonly IEncoder<WebSocketFrame> _serverEncoder = new WebSocketFrameCodec(WebSocketRole.Server).Encoder;
    private readonly IEncoder<WebSocketFrame> _clientEncoder = new WebSocketFrameCodec(WebSocketRole.Client).Encoder;
    private readonly IDecoder<WebSocketFrame> _decoder = new WebSocketFrameCodec(WebSocketRole.Server).CreateDecoder(); // one per connection, reused
    private ReadOnlySequence<byte> _maskedFrame;
    private WebSocketFrame _frame;

    /// <summary>Payload bytes per frame.</summary>
    [Params(64, 4 * 1024, 64 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var payload = new byte[Size];
        new Random(42).NextBytes(payload);
        _frame = new WebSocketFrame(WebSocketOpcode.Binary, true, payload);
        var masked = new ArrayBufferWriter<byte>();
        _clientEncoder.Encode(_frame, masked);
        _maskedFrame = new ReadOnlySequence<byte>(masked.WrittenMemory.ToArray());
        if (DecodeMasked() != Size)
            throw new InvalidOperationException("The masked frame did not decode to its payload.");
    }

    [Benchmark]
    public int DecodeMasked()
    {
        var buffer = _maskedFrame;
        return _decoder.TryDecode(ref buffer, out var frame) ? frame.Payload.Length : -1;
    }

    [Benchmark]
    public int EncodeUnmasked()
    {
        _output.ResetWrittenCount();
        _serverEncoder.Encode(_frame, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int EncodeMasked()
    {
        _output.ResetWrittenCount();
        _clientEncoder.Encode(_frame, _output);
        return _output.WrittenCount;
    }
}
