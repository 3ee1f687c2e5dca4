using System.Net;

namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>DatagramProtocol</c>: override the events you care about and send through <see cref="Transport"/>.
/// A thin adapter over an <see cref="IDatagramSocket"/>; <c>reactor.ListenUdp(port, protocol)</c> runs it.
/// </summary>
/// <remarks>
/// <para>Events arrive in order and never overlap: <see cref="StartProtocol"/> once the port is bound and before any
/// datagram, any number of <see cref="DatagramReceived"/> (and, on a connected port, <see cref="ConnectionRefused"/>),
/// then <see cref="StopProtocol"/> once the port has stopped (when a callback stops the port itself, on a simulated host
/// <see cref="StopProtocol"/> may run before that callback returns). They run on the socket's I/O thread (on a simulated
/// host, the network's scheduler); <c>ObserveOn(reactor.Scheduler)</c> is not needed for one port's own state.</para>
/// <para>An exception thrown by <see cref="DatagramReceived"/> or <see cref="ConnectionRefused"/> is logged (to the
/// logger given to <c>ListenUdp</c>) and the port keeps serving, as in Twisted. Delivery is UDP's: datagrams may be
/// lost, duplicated or reordered, never merged or split.</para>
/// </remarks>
public abstract class DatagramProtocol
{
    private IDatagramTransport? _transport;

    /// <summary>Where to send (Twisted's <c>self.transport</c>); set just before <see cref="StartProtocol"/>, cleared
    /// just before <see cref="StopProtocol"/>, as in Twisted.</summary>
    /// <exception cref="InvalidOperationException">The protocol is not listening.</exception>
    public IDatagramTransport Transport => Volatile.Read(ref _transport)
        ?? throw new InvalidOperationException($"{GetType().Name} has no transport outside StartProtocol..StopProtocol.");

    /// <summary>Called once the port is bound, before the first datagram: a client typically sends its first datagram here.</summary>
    public virtual void StartProtocol()
    {
    }

    /// <summary>Called once the port has stopped listening; <see cref="Transport"/> is gone by then.</summary>
    public virtual void StopProtocol()
    {
    }

    /// <summary>Called with each datagram received, whole (Twisted's <c>datagramReceived(data, addr)</c>).</summary>
    /// <param name="data">The payload; yours to keep.</param>
    /// <param name="address">The sender: pass it to <see cref="IDatagramTransport.Write(ReadOnlyMemory{byte}, EndPoint)"/> to reply.</param>
    public virtual void DatagramReceived(ReadOnlyMemory<byte> data, EndPoint address)
    {
    }

    /// <summary>Called on a connected port when its peer's port was closed (an ICMP port unreachable for an earlier
    /// datagram), as Twisted's <c>connectionRefused()</c>. The port stays bound and keeps receiving.</summary>
    public virtual void ConnectionRefused()
    {
    }

    /// <summary>Connects the protocol to a transport and calls <see cref="StartProtocol"/> (Twisted's <c>makeConnection</c>).</summary>
    /// <param name="transport">The transport: a port does this for you; a spec may pass a fake of its own.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transport"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The protocol already has a transport: one protocol serves one port at a time.</exception>
    public void MakeConnection(IDatagramTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (Interlocked.CompareExchange(ref _transport, transport, null) is not null)
            throw new InvalidOperationException($"{GetType().Name} is already listening; one protocol serves one port at a time.");
        StartProtocol();
    }

    /// <summary>The port stopped: forget the transport, then tell the protocol.</summary>
    internal void Disconnected()
    {
        Volatile.Write(ref _transport, null);
        StopProtocol();
    }
}
