using System.Runtime.InteropServices;

namespace RxNet.Load;

/// <summary>The few Linux calls the driver's event loop and its CPU pinning need, straight from libc: the .NET socket
/// engine would hand every readiness event to a thread-pool thread, which is the cost the loop exists to avoid.</summary>
internal static partial class LibC
{
    public const int EINTR = 4, EAGAIN = 11;
    public const int EPOLL_CTL_ADD = 1;
    public const uint EPOLLIN = 0x001, EPOLLOUT = 0x004, EPOLLRDHUP = 0x2000, EPOLLET = 1u << 31;
    public const int MSG_NOSIGNAL = 0x4000;
    public const int EPOLL_CLOEXEC = 0x80000;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_create1(int flags);

    /// <summary><paramref name="ev"/> is one <c>struct epoll_event</c>, laid out as <see cref="Epoll"/> lays it out.</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint recv(int fd, byte* buffer, nint length, int flags);

    /// <summary><paramref name="mask"/> is a <c>cpu_set_t</c> of <paramref name="size"/> bytes.</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int sched_setaffinity(int pid, nint size, ulong* mask);
}
