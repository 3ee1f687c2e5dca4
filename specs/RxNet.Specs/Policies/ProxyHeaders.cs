using System.Buffers;
using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace RxNet.Specs.Policies;

/// <summary>Runs a <see cref="ProxyHeaderDecoder"/> over chunks with a <see cref="FrameReader"/> (a header read, then a
/// read of everything left), and cuts inputs at every boundary.</summary>
public static class ProxyHeaders
{
    /// <summary>Every way to cut <paramref name="bytes"/> into two or three chunks, and into one-byte chunks: each boundary,
    /// each pair of boundaries.</summary>
    public static IEnumerable<byte[][]> EveryCut(byte[] bytes)
    {
        yield return [bytes];
        yield return [.. bytes.Select(b => new[] { b })];
        for (int i = 1; i < bytes.Length; i++)
        {
            yield return [bytes[..i], bytes[i..]];
            for (int j = i + 1; j < bytes.Length; j++)
                yield return [bytes[..i], bytes[i..j], bytes[j..]];
        }
    }

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
