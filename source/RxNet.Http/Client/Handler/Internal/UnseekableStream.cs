namespace RxNet.Http.Client.Handler.Internal;

/// <summary>What the handler's one-way streams share: they cannot seek, and have no length or position.</summary>
internal abstract class UnseekableStream : Stream
{
    public sealed override bool CanSeek => false;

    public sealed override long Length => throw new NotSupportedException();

    public sealed override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();
}
