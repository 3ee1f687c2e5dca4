using System.Buffers;

namespace RxNet.Http.Server.Compression;

/// <summary>
/// A write-only stream into a buffer rented from <see cref="ArrayPool{T}.Shared"/>: where a compressor writes its
/// output, taken out after each flush. The buffer grows to the largest flush and is kept until disposed.
/// </summary>
internal sealed class PooledBufferStream : Stream
{
    private const int InitialSize = 4096;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>What was written since the last call, as a new array the caller keeps; <see langword="null"/> when
    /// nothing was.</summary>
    public byte[]? Take()
    {
        if (_length == 0)
            return null;
        byte[] taken = _buffer.AsSpan(0, _length).ToArray();
        _length = 0;
        return taken;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_buffer.Length - _length < buffer.Length)
            Grow(buffer.Length);
        buffer.CopyTo(_buffer.AsSpan(_length));
        _length += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _length = 0;
        }
        base.Dispose(disposing);
    }

    private void Grow(int more)
    {
        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
