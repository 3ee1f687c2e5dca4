using System.IO.Compression;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>
/// The spec's own permessage-deflate, written from RFC 7692 §7.2 over .NET's raw deflate and independent of the
/// socket's: compress with a sync flush and drop <c>00 00 FF FF</c>; inflate after adding it back. One instance is one
/// direction's context (context takeover); a new one per message is no context takeover.
/// </summary>
internal sealed class DeflateWire : IDisposable
{
    private static readonly byte[] Tail = [0x00, 0x00, 0xFF, 0xFF];

    private readonly MemoryStream _compressed = new();
    private readonly DeflateStream _deflate;
    private readonly Pipe _pipe = new();
    private readonly DeflateStream _inflate;

    public DeflateWire()
    {
        _deflate = new DeflateStream(_compressed, CompressionLevel.Optimal, leaveOpen: true);
        _inflate = new DeflateStream(_pipe, CompressionMode.Decompress);
    }

    public static byte[] Once(byte[] data)
    {
        using var wire = new DeflateWire();
        return wire.Deflate(data);
    }

    public void Dispose()
    {
        _deflate.Dispose();
        _inflate.Dispose();
        _compressed.Dispose();
    }

    public byte[] Deflate(byte[] data)
    {
        _compressed.SetLength(0);
        _deflate.Write(data);
        _deflate.Flush();
        byte[] bytes = _compressed.ToArray();
        Assert.True(bytes.AsSpan().EndsWith(Tail), "a sync flush ends with 00 00 FF FF");
        return bytes[..^4];
    }

    public byte[] Inflate(byte[] compressed)
    {
        _pipe.Bytes.Enqueue([.. compressed, .. Tail]);
        var output = new List<byte>();
        byte[] buffer = new byte[4096];
        int read;
        while ((read = _inflate.Read(buffer)) > 0)
            output.AddRange(buffer.AsSpan(0, read));
        return [.. output];
    }

    /// <summary>What has been given and not read yet; reading past it gives 0, which the inflate stream survives.</summary>
    private sealed class Pipe : Stream
    {
        public Queue<byte[]> Bytes { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!Bytes.TryDequeue(out var next))
                return 0;
            int take = Math.Min(count, next.Length);
            next.AsSpan(0, take).CopyTo(buffer.AsSpan(offset));
            if (take < next.Length)
            {
                var rest = Bytes.ToArray();
                Bytes.Clear();
                Bytes.Enqueue(next[take..]);
                foreach (var b in rest)
                    Bytes.Enqueue(b);
            }
            return take;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
