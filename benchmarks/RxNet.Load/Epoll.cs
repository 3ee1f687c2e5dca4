using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace RxNet.Load;

/// <summary>One epoll instance: file descriptors registered with an index of the caller's, and a wait that returns a
/// batch of (index, events) at once. Used by one thread.</summary>
internal sealed unsafe class Epoll : IDisposable
{
    // struct epoll_event is packed on x86-64 (4 + 8 bytes) and naturally aligned elsewhere (4 + 4 padding + 8).
    private static readonly int Size = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = Size - 8;

    private readonly int _fd;
    private readonly byte[] _events;

    /// <summary>Creates an instance that returns at most <paramref name="batch"/> events per wait.</summary>
    /// <exception cref="InvalidOperationException">epoll_create1 failed.</exception>
    public Epoll(int batch)
    {
        _fd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (_fd < 0)
            throw new InvalidOperationException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}.");
        _events = new byte[batch * Size];
    }

    /// <summary>Registers <paramref name="fd"/> for <paramref name="events"/>, reported with <paramref name="index"/>.</summary>
    public void Add(int fd, int index, uint events)
    {
        var ev = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(ev, 4), events);
        BinaryPrimitives.WriteUInt64LittleEndian(new Span<byte>(ev + DataOffset, 8), (ulong)index);
        if (LibC.epoll_ctl(_fd, LibC.EPOLL_CTL_ADD, fd, ev) != 0)
            throw new InvalidOperationException($"epoll_ctl failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for events; returns how many <see cref="Index"/>
    /// and <see cref="Events"/> can read (0 on a timeout or a signal).</summary>
    public int Wait(int timeoutMilliseconds)
    {
        fixed (byte* events = _events)
        {
            var count = LibC.epoll_wait(_fd, events, _events.Length / Size, timeoutMilliseconds);
            if (count >= 0)
                return count;
            var errno = Marshal.GetLastPInvokeError();
            return errno == LibC.EINTR ? 0 : throw new InvalidOperationException($"epoll_wait failed: errno {errno}.");
        }
    }

    /// <summary>The index of the <paramref name="i"/>th event of the last wait.</summary>
    public int Index(int i) => (int)BinaryPrimitives.ReadUInt64LittleEndian(_events.AsSpan(i * Size + DataOffset));

    /// <summary>The events of the <paramref name="i"/>th event of the last wait.</summary>
    public uint Events(int i) => BinaryPrimitives.ReadUInt32LittleEndian(_events.AsSpan(i * Size));

    /// <summary>Closes the instance (the file descriptors registered stay open).</summary>
    public void Dispose() => LibC.close(_fd);
}
