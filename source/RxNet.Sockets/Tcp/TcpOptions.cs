using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RxNet.Sockets;

/// <summary>Socket options for TCP endpoints, with the defaults users of Twisted and Kestrel expect.</summary>
public sealed record TcpOptions
{
    /// <summary>The defaults.</summary>
    public static TcpOptions Default { get; } = new();

    /// <summary>Disables Nagle's algorithm (TCP_NODELAY). On by default, as in Twisted and Kestrel.</summary>
    public bool NoDelay { get; init; } = true;

    /// <summary>Enables TCP keep-alive probes (SO_KEEPALIVE). Off by default.</summary>
    public bool KeepAlive { get; init; }

    /// <summary>Lets a server bind a port still in TIME_WAIT (SO_REUSEADDR). On by default.</summary>
    public bool ReuseAddress { get; init; } = true;

    /// <summary>The listen backlog: connections the kernel queues before they are accepted. 512 by default.</summary>
    public int Backlog { get; init; } = 512;

    /// <summary>
    /// The kernel send buffer of each accepted or connected stream socket (SO_SNDBUF), in bytes, or
    /// <see langword="null"/> (the default) for the operating system's own size. Endpoint strings set it with
    /// <c>sndbuf=BYTES</c>.
    /// </summary>
    /// <remarks>
    /// The kernel takes the value as a request: Linux doubles it (to leave room for its bookkeeping) and clamps it
    /// to <c>net.core.wmem_max</c>; other systems round or clamp it their own way. Bytes a connection has written
    /// leave its own queue as soon as the kernel buffer takes them, and a default Linux send buffer grows to
    /// megabytes, so a large one hides megabytes of a slow peer's backlog before <see cref="IConnectionOutput.Writable"/>
    /// turns false. A small send buffer (tens of KiB) keeps the unsent bytes in the connection's own queue, where
    /// <see cref="ConnectionOptions"/> counts them, so <c>Writable</c> tells how far the peer really lags, at the
    /// cost of more system calls on a fast bulk transfer.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero or less.</exception>
    public int? SendBufferSize
    {
        get;
        init => field = value is <= 0 ? throw new ArgumentOutOfRangeException(nameof(SendBufferSize), value, "A buffer size is at least 1 byte.") : value;
    }

    /// <summary>
    /// The kernel receive buffer of each accepted or connected stream socket (SO_RCVBUF), in bytes, or
    /// <see langword="null"/> (the default) for the operating system's own size (on Linux, auto-tuned).
    /// Endpoint strings set it with <c>rcvbuf=BYTES</c>.
    /// </summary>
    /// <remarks>
    /// Linux doubles the value and clamps it to <c>net.core.rmem_max</c>, and a size set by hand turns off its
    /// receive-buffer auto-tuning for that socket. The receive buffer bounds the TCP window the peer may fill
    /// before it must wait, so a small one slows a fast sender over a long path. It is set on a server's listening
    /// socket and before a client connects too, so the window scale agreed in the handshake fits it.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero or less.</exception>
    public int? ReceiveBufferSize
    {
        get;
        init => field = value is <= 0 ? throw new ArgumentOutOfRangeException(nameof(ReceiveBufferSize), value, "A buffer size is at least 1 byte.") : value;
    }

    /// <summary>How long a connect may take before it fails with <see cref="TimeoutException"/>. 30 s by default, as in Twisted.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Waits for data with a zero-byte receive before reading it into a shared per-thread slab, so an
    /// idle connection holds no receive buffer (about 2.4 KB per idle connection in all). On by
    /// default, as Kestrel's <c>WaitForDataBeforeAllocatingBuffer</c>. Off, each connection reads
    /// straight into a 16 KiB block of its own: one system call less per read, for about 16 KiB more
    /// per connection once it has received anything.
    /// </summary>
    public bool WaitForDataBeforeReading { get; init; } = true;

    /// <summary>Flow-control limits of each connection.</summary>
    public ConnectionOptions Connection { get; init; } = ConnectionOptions.Default;

    /// <summary>Where connection events and faults are logged.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The meter factory of the <see cref="RxNetMetrics"/> instruments (a host's <c>IMeterFactory</c>),
    /// or <see langword="null"/> for one process-wide meter named <see cref="RxNetMetrics.MeterName"/>.</summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; init; }
}
