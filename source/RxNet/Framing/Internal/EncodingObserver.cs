using Microsoft.Extensions.Logging;
using RxNet.Operators.Internal;
using System.Buffers;
using System.Reactive.Linq;

namespace RxNet.Framing.Internal;

/// <summary>Encodes each frame into one reused buffer and writes it; the output copies it before returning. With a
/// connection's output underneath it also passes that output's flow control on.</summary>
internal sealed class EncodingObserver<T>(IObserver<ReadOnlyMemory<byte>> output, IEncoder<T> encoder, IConnectionOutput? flow) : IFrameOutput<T>, ILoggingOutput
{
    public ILogger Logger => OverflowReport.LoggerOf(flow);

    /// <summary>A buffer grown past this by one large frame is let go rather than kept for the connection's life.</summary>
    private const int KeepAtMost = 64 * 1024;

    private static readonly IObservable<bool> AlwaysWritable = Observable.Return(true).Concat(Observable.Never<bool>());

    private ArrayBufferWriter<byte> _buffer = new(256);

    public IObservable<bool> Writable => flow?.Writable ?? AlwaysWritable;

    public long PendingBytes => flow?.PendingBytes ?? 0;

    public void OnNext(T value)
    {
        _buffer.ResetWrittenCount();
        try
        {
            encoder.Encode(value, _buffer);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            output.OnError(e);
            return;
        }
        output.OnNext(_buffer.WrittenMemory);
        if (_buffer.Capacity > KeepAtMost)
            _buffer = new ArrayBufferWriter<byte>(256);
    }

    public void OnError(Exception error) => output.OnError(error);

    public void OnCompleted() => output.OnCompleted();
}
