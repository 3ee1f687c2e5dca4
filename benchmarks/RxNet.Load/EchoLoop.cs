using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace RxNet.Load;

/// <summary>
/// The client side of the echo load scenarios: every connection of a scenario served by one thread, with
/// non-blocking sockets and one edge-triggered epoll set, calling <c>send</c>, <c>recv</c> and <c>epoll_wait</c>
/// straight from libc (the shape of a single-threaded C load generator). A ping-pong connection sends one message,
/// waits for all of its echo and sends the next; a stream connection keeps up to a window of bytes unchecked in
/// flight, written in chunks. Every byte echoed is checked against the <see cref="EchoPattern"/> bytes sent.
/// </summary>
/// <remarks>Why not the socket's async methods: each completion then costs a hop from the runtime's epoll thread to a
/// thread-pool thread, and at tens of thousands of messages a second that client work competes with the server for
/// the machine's cores and caps what the server is seen to do. Here a message costs a <c>send</c>, a <c>recv</c> and
/// its share of one <c>epoll_wait</c> for the whole batch of ready connections.</remarks>
internal sealed unsafe class EchoLoop
{
    // Events taken per epoll_wait, and how long one waits before looking at the phase again.
    private const int Batch = 256;
    private const int WaitMilliseconds = 50;

    private readonly List<EchoConnection> _connections;
    private readonly int _size;
    private readonly long _window;   // 0: ping-pong
    private readonly byte[] _received = new byte[64 * 1024];

    private EchoLoop(IReadOnlyList<Socket> sockets, int size, long window)
    {
        _connections = sockets.Select((s, i) => new EchoConnection(s, i)).ToList();
        _size = size;
        _window = window;
    }

    /// <summary>A ping-pong loop over <paramref name="sockets"/> (connected; made non-blocking here) with messages of
    /// <paramref name="size"/> bytes. Each message's round trip is one operation.</summary>
    public static EchoLoop PingPong(IReadOnlyList<Socket> sockets, int size) => new(sockets, size, 0);

    /// <summary>A stream loop: chunks of <paramref name="size"/> bytes, at most <paramref name="window"/> bytes sent
    /// and not yet echoed per connection. <see cref="Tally.Bytes"/> counts the echoed bytes.</summary>
    public static EchoLoop Stream(IReadOnlyList<Socket> sockets, int size, long window) => new(sockets, size, Math.Max(window, size));

    /// <summary>Runs on a thread of its own until <paramref name="phase"/> stops or <paramref name="stop"/> is cancelled,
    /// counting in <paramref name="tally"/> what completes while the phase measures (errors at any time).</summary>
    public Task Start(Phase phase, Tally tally, CancellationToken stop) =>
        Task.Factory.StartNew(() => Run(phase, tally, stop), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(Phase phase, Tally tally, CancellationToken stop)
    {
        using var epoll = new Epoll(Batch);
        foreach (var connection in _connections)
        {
            connection.Socket.Blocking = false;
            epoll.Add(connection.Fd, connection.Index, LibC.EPOLLIN | LibC.EPOLLOUT | LibC.EPOLLRDHUP | LibC.EPOLLET);
            connection.SentAt = Stopwatch.GetTimestamp();
            Queue(connection);
            Write(connection, tally);
        }
        while (!phase.Stopped && !stop.IsCancellationRequested)
        {
            var count = epoll.Wait(WaitMilliseconds);
            var measuring = phase.Measuring;
            for (var i = 0; i < count; i++)
            {
                var connection = _connections[epoll.Index(i)];
                // An edge of EPOLLOUT alone (room again after a full send buffer) has nothing to read.
                var readable = (epoll.Events(i) & ~LibC.EPOLLOUT) != 0;
                if (connection.Alive && (!readable || Read(connection, tally, measuring)) && !phase.Stopped)
                    Write(connection, tally);
            }
        }
    }

    // Sets how far the connection may send: the next message (ping-pong), or up to the window (stream).
    private void Queue(EchoConnection connection)
    {
        if (_window == 0)
        {
            if (connection.Target == connection.Received)
                connection.Target += _size;
            return;
        }
        while (connection.Target - connection.Received + _size <= _window)
            connection.Target += _size;
    }

    // Reads and checks what the socket has; true unless the connection failed.
    private bool Read(EchoConnection connection, Tally tally, bool measuring)
    {
        fixed (byte* buffer = _received)
        {
            while (true)
            {
                // Ping-pong reads exactly the message in flight; a stream reads what fits. With nothing in flight one
                // byte is asked for, to see an end or bytes the server should not have sent.
                var outstanding = connection.Sent - connection.Received;
                var want = (int)Math.Clamp(outstanding, 1, _received.Length);
                var read = LibC.recv(connection.Fd, buffer, want, 0);
                if (read < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR)
                        continue;
                    return errno == LibC.EAGAIN || Fail(connection, tally, $"recv failed: errno {errno}");
                }
                if (read == 0)
                    return Fail(connection, tally, "the server closed the connection");
                if (read > outstanding)
                    return Fail(connection, tally, $"the server echoed {read - outstanding} bytes more than were sent");
                if (!_received.AsSpan(0, (int)read).SequenceEqual(EchoPattern.At(connection.Start + connection.Received, (int)read)))
                    return Fail(connection, tally, $"the echo differs from the bytes sent, within bytes {connection.Received}-{connection.Received + read} of a connection");
                var before = connection.Received;
                connection.Received += read;
                Progress(connection, tally, measuring, before);
                // A read shorter than asked emptied the socket; the edge of the next bytes wakes the loop again.
                if (read < want || connection.Received == connection.Sent)
                    return true;
            }
        }
    }

    private void Progress(EchoConnection connection, Tally tally, bool measuring, long before)
    {
        if (_window == 0)
        {
            if (connection.Received != connection.Target)
                return;
            if (measuring)
                tally.Add(connection.SentAt, _size);
            connection.SentAt = Stopwatch.GetTimestamp();
        }
        else if (measuring)
        {
            tally.Bytes += connection.Received - before;
        }
        Queue(connection);
    }

    // Sends what the connection may, until done or the socket's buffer is full (its EPOLLOUT edge resumes it).
    private void Write(EchoConnection connection, Tally tally)
    {
        var chunk = _window == 0 ? EchoPattern.Period : _size;
        while (connection.Sent < connection.Target)
        {
            var length = (int)Math.Min(connection.Target - connection.Sent, chunk);
            nint sent;
            fixed (byte* bytes = EchoPattern.At(connection.Start + connection.Sent, length))
                sent = LibC.send(connection.Fd, bytes, length, LibC.MSG_NOSIGNAL);
            if (sent > 0)
            {
                connection.Sent += sent;
                continue;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EINTR)
                continue;
            if (errno != LibC.EAGAIN)
                Fail(connection, tally, $"send failed: errno {errno}");
            return;
        }
    }

    private static bool Fail(EchoConnection connection, Tally tally, string reason)
    {
        connection.Alive = false;
        tally.Errors++;
        tally.FirstError ??= reason;
        return false;
    }
}
