namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>Protocol</c>: override the events you care about and write through
/// <see cref="Transport"/>. A thin adapter over an <see cref="IConnection"/>, not a second engine.
/// </summary>
/// <remarks>
/// Events of one connection never overlap and arrive in order: <see cref="ConnectionMade"/>, any number
/// of <see cref="DataReceived"/>, then <see cref="ConnectionLost"/>. They run on I/O threads; different
/// connections may run at the same time, so state shared between them (on the factory) needs a lock
/// or <c>ObserveOn(reactor.Scheduler)</c>. An exception thrown by an event aborts that connection
/// only. When the peer closes its side, the transport finishes sending and closes too, as in Twisted.
/// </remarks>
public abstract class Protocol
{
    private ITransport? _transport;

    /// <summary>Where to write; set just before <see cref="ConnectionMade"/>.</summary>
    /// <exception cref="InvalidOperationException">The protocol is not connected yet.</exception>
    public ITransport Transport => _transport ?? throw new InvalidOperationException($"{GetType().Name} has no transport before ConnectionMade.");

    /// <summary>The factory that built this protocol, if any (Twisted's <c>protocol.factory</c>); through it, the
    /// factory's <see cref="Twisted.Factory.Reactor"/> for timers.</summary>
    /// <remarks>Set by the factory's port or connector (and by the factories of <see cref="Twisted.Factory.ForProtocol{T}"/>
    /// as soon as they build), before <see cref="ConnectionMade"/>; a spec that builds a protocol by hand may set it.</remarks>
    public Factory? Factory { get; set; }

    /// <summary>Whether the connection is open: true from <see cref="ConnectionMade"/> until <see cref="ConnectionLost"/>.</summary>
    public bool Connected { get; private set; }

    /// <summary>Called once the connection is up; a client typically writes its greeting here.</summary>
    public virtual void ConnectionMade()
    {
    }

    /// <summary>Called with each chunk received. Chunk boundaries are arbitrary: one message may arrive
    /// in pieces and several may arrive together. The chunk is yours to keep.</summary>
    /// <param name="data">The bytes received.</param>
    public virtual void DataReceived(ReadOnlyMemory<byte> data)
    {
    }

    /// <summary>Called once when the connection has ended, with the reason.</summary>
    /// <param name="reason">How it ended.</param>
    public virtual void ConnectionLost(ConnectionClosed reason)
    {
    }

    /// <summary>Connects the protocol to a transport and fires <see cref="ConnectionMade"/> (Twisted's
    /// <c>makeConnection</c>): <see cref="Transport"/> is set and <see cref="Connected"/> is true from then on.</summary>
    /// <param name="transport">The transport: in a spec, a <c>StringTransport</c> of RxNet.Testing, after which the spec
    /// calls <see cref="DataReceived"/> itself and reads what was written, as Twisted's unit tests do.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transport"/> is null.</exception>
    /// <remarks>Ports and connectors call it for you. It feeds nothing to <see cref="DataReceived"/>: to run a protocol
    /// over an <see cref="IConnection"/>, use <see cref="Twisted.Factory.Serve"/>. An exception from
    /// <see cref="ConnectionMade"/> is thrown from here.</remarks>
    public void MakeConnection(ITransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        Connected = true;
        ConnectionMade();
    }

    internal void Disconnected(ConnectionClosed reason)
    {
        Connected = false;
        ConnectionLost(reason);
    }
}
