namespace RxNet;

/// <summary>
/// What a <c>tcp:</c> or <c>tcp6:</c> client string says (<c>tcp:host=example.com:port=80:timeout=30</c>, or
/// Twisted's <c>tcp:example.com:80</c>), read and checked once for every reactor.
/// </summary>
/// <param name="Host">The host name or address, as written.</param>
/// <param name="Port">The port (1 to 65535).</param>
/// <param name="Timeout">The connect timeout, if the string gives one (seconds above 0, at most a day).</param>
/// <remarks>The socket buffer sizes (<c>sndbuf=BYTES</c>, <c>rcvbuf=BYTES</c>) are read and checked here too; a
/// transport without kernel buffers (the simulated network) accepts and ignores them.</remarks>
public sealed record TcpClientParameters(string Host, int Port, TimeSpan? Timeout)
{
    /// <summary>The kernel send buffer the connected socket asks for (<c>sndbuf=BYTES</c>, at least 1), if the string gives one.</summary>
    public int? SendBufferSize { get; init; }

    /// <summary>The kernel receive buffer the connected socket asks for (<c>rcvbuf=BYTES</c>, at least 1), if the string gives one.</summary>
    public int? ReceiveBufferSize { get; init; }

    /// <summary>Reads a parsed <c>tcp:</c> or <c>tcp6:</c> client description.</summary>
    /// <param name="description">The parsed description.</param>
    /// <returns>The parameters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="description"/> is null.</exception>
    /// <exception cref="FormatException">Another scheme, no host or port, a bad port or timeout, a <c>sndbuf</c> or
    /// <c>rcvbuf</c> that is not a whole number of at least 1, or an unknown parameter; the message points at it.</exception>
    public static TcpClientParameters Read(EndpointDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var d = description;
        if (d.Scheme is not ("tcp" or "tcp6"))
            throw d.Invalid(d.Scheme, "a TCP client endpoint starts with 'tcp:' or 'tcp6:'");
        var (host, port) = d.ReadHostAndPort("tcp:host=localhost:port=8000");
        d.CheckKeys("a TCP client", "host", "port", "timeout", "sndbuf", "rcvbuf");
        return new TcpClientParameters(host, port, d.ReadSeconds("timeout"))
        {
            SendBufferSize = d.ReadBufferSize("sndbuf"),
            ReceiveBufferSize = d.ReadBufferSize("rcvbuf"),
        };
    }
}
