using System.Net.Sockets;

namespace RxNet.Load;

/// <summary>Where one connection of an <see cref="EchoLoop"/> is: offsets into its stream of
/// <see cref="EchoPattern"/> bytes (sent, to be sent, echoed back and checked).</summary>
/// <param name="socket">The connected, non-blocking socket; the connection closes it.</param>
/// <param name="index">Its index in the loop, which the epoll events carry.</param>
internal sealed class EchoConnection(Socket socket, int index)
{
    /// <summary>The socket.</summary>
    public Socket Socket { get; } = socket;

    /// <summary>Its file descriptor, for the calls made straight to libc.</summary>
    public int Fd { get; } = (int)socket.SafeHandle.DangerousGetHandle();

    /// <summary>Its index in the loop.</summary>
    public int Index { get; } = index;

    /// <summary>Where its stream starts in <see cref="EchoPattern"/>.</summary>
    public long Start { get; } = EchoPattern.Start(index);

    /// <summary>Bytes sent so far.</summary>
    public long Sent { get; set; }

    /// <summary>Bytes to have sent once the current message (or stream window) is out.</summary>
    public long Target { get; set; }

    /// <summary>Bytes echoed back and checked so far.</summary>
    public long Received { get; set; }

    /// <summary>When the message in flight was sent (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long SentAt { get; set; }

    /// <summary>False once it failed: the loop no longer serves it.</summary>
    public bool Alive { get; set; } = true;
}
