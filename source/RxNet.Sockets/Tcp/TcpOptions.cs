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
