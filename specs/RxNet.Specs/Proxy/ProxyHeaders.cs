using System.Buffers;
using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace RxNet.Specs.Proxy;

/// <summary>Runs a <see cref="ProxyHeaderDecoder"/> over chunks with a <see cref="FrameReader"/> (a header read, then a
/// read of everything left).</summary>
public static class ProxyHeaders
{
    /// <summary>The header decoded from the chunks, every byte after it, and the error if the header failed.</summary>
    public static (ProxyHeader? Header, byte[] After, Exception? Error) Run(byte[][] chunks, ProxyProtocolVersions versions = ProxyProtocolVersions.Any)
    {
        using var reader = new FrameReader(chunks.Select(c => (ReadOnlyMemory<byte>)c).ToObservable(ImmediateScheduler.Instance));
        ProxyHeader? header = null;
        Exception? error = null;
        var rest = new List<byte>();
        using (reader.Read(new ProxyHeaderDecoder(versions)).Take(1).Subscribe(h => header = h, e => error = e))
        {
        }
        if (error is null)
        {
            using var _ = reader.Read(new Everything()).Subscribe(rest.AddRange, e => error = e);
        }
        return (header, [.. rest], error);
    }

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>Whatever is buffered, as one frame.</summary>
    private sealed class Everything : IDecoder<byte[]>
    {
        public bool TryDecode(ref ReadOnlySequence<byte> buffer, out byte[] frame)
        {
            frame = buffer.ToArray();
            buffer = buffer.Slice(buffer.End);
            return frame.Length > 0;
        }

        public bool TryDecodeFinal(ref ReadOnlySequence<byte> buffer, out byte[] frame) => TryDecode(ref buffer, out frame);
    }
}
