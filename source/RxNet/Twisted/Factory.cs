using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RxNet.Twisted;

/// <summary>Twisted's <c>Factory</c>: builds one <see cref="Protocol"/> per connection.</summary>
/// <remarks>Override <see cref="BuildProtocol"/>, or use <see cref="ForProtocol{T}"/> for the common
/// case of Twisted's <c>factory.protocol = Echo</c>, and <see cref="ForProtocol(Func{Factory, Protocol})"/> for a
/// protocol with constructor arguments (its reactor, shared state).</remarks>
public class Factory
{
    private int _listening;
    private IReactor? _reactor;
    private ILogger? _logger;

    /// <summary>The reactor this factory listens or connects through, so that its protocols can start timers
    /// (<c>Factory.Reactor.CallLater(...)</c>) that run in virtual time on a simulated reactor.</summary>
    /// <remarks>Set by <see cref="ReactorExtensions.ListenTcp"/>, <see cref="ReactorExtensions.Listen"/>,
    /// <see cref="ReactorExtensions.ConnectTcp"/> and <see cref="ReactorExtensions.Connect"/> before
    /// <see cref="StartFactory"/> runs; the last reactor used wins. A spec that drives the factory's protocols by
    /// hand (over a string transport) sets it itself, for example to a <c>FakeReactor</c>.</remarks>
    /// <exception cref="InvalidOperationException">Read before the factory listened or connected through a reactor, and never set.</exception>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public IReactor Reactor
    {
        get => Volatile.Read(ref _reactor)
            ?? throw new InvalidOperationException($"{GetType().Name} has no reactor: it has not listened or connected through one (ListenTcp, Listen, ConnectTcp, Connect), and none was set.");
        set => Volatile.Write(ref _reactor, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Where an exception thrown by one of this factory's protocols (<see cref="Protocol.ConnectionMade"/>,
    /// <see cref="Protocol.DataReceived"/>, <see cref="Protocol.ConnectionLost"/>, a half-close event, a registered
    /// producer) is logged, with the protocol and the callback, as Twisted logs an unhandled error; that connection is
    /// aborted and the others go on. Nothing is logged until it is set.</summary>
    /// <remarks>Set by <see cref="StreamServerEndpointService.Create"/> (and so by RxNet.Hosting's <c>AddRxNetServer</c>,
    /// with the host's logging) to the service's logger when it was not set before.</remarks>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public ILogger Logger
    {
        get => Volatile.Read(ref _logger) ?? NullLogger.Instance;
        set => Volatile.Write(ref _logger, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Gives the factory <paramref name="logger"/> unless one was set.</summary>
    internal void UseLoggerIfUnset(ILogger? logger)
    {
        if (logger is not null)
            Interlocked.CompareExchange(ref _logger, logger, null);
    }

    /// <summary>Builds the protocol for a new connection; return <see langword="null"/> to refuse it.</summary>
    /// <param name="address">The peer's address.</param>
    /// <returns>The protocol, or <see langword="null"/> to close the connection at once.</returns>
    public virtual Protocol? BuildProtocol(EndPoint? address) =>
        throw new NotSupportedException($"{GetType().Name} must override BuildProtocol, or be made with Factory.ForProtocol<T>().");

    /// <summary>Called before the first port starts listening with this factory (Twisted's <c>startFactory</c>).</summary>
    public virtual void StartFactory()
    {
    }

    /// <summary>Called after the last port stopped listening with this factory (Twisted's <c>stopFactory</c>).</summary>
    public virtual void StopFactory()
    {
    }

    /// <summary>A factory that builds a new <typeparamref name="T"/> for every connection.</summary>
    /// <typeparam name="T">The protocol type.</typeparam>
    /// <returns>The factory.</returns>
    public static Factory ForProtocol<T>()
        where T : Protocol, new() => new BuilderFactory(_ => new T());

    /// <summary>A factory that calls <paramref name="build"/> for every connection: a protocol with constructor
    /// arguments needs no factory class of its own.</summary>
    /// <param name="build">Makes the protocol for a new connection; <see langword="null"/> refuses it.</param>
    /// <returns>The factory; the protocols it builds have their <see cref="Protocol.Factory"/> set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="build"/> is null.</exception>
    /// <example><c>Factory.ForProtocol(() =&gt; new Greeter("hello"))</c></example>
    public static Factory ForProtocol(Func<Protocol?> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return new BuilderFactory(_ => build());
    }

    /// <summary>A factory that calls <paramref name="build"/> with itself for every connection, so the protocol can
    /// take the factory's <see cref="Reactor"/> (for timers) or state in its constructor.</summary>
    /// <param name="build">Makes the protocol for a new connection from the factory; <see langword="null"/> refuses it.
    /// It runs when a connection is made, so <see cref="Reactor"/> is set by then.</param>
    /// <returns>The factory; the protocols it builds have their <see cref="Protocol.Factory"/> set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="build"/> is null.</exception>
    /// <example><c>Factory.ForProtocol(f =&gt; new Pinger(f.Reactor, TimeSpan.FromSeconds(5)))</c></example>
    public static Factory ForProtocol(Func<Factory, Protocol?> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return new BuilderFactory(build);
    }

    internal void DoStart()
    {
        if (Interlocked.Increment(ref _listening) == 1)
            StartFactory();
    }

    internal void DoStop()
    {
        if (Interlocked.Decrement(ref _listening) == 0)
            StopFactory();
    }

    /// <summary>Runs a protocol of this factory over a connection you already have, as a listening port does with
    /// each connection it accepts: <see cref="BuildProtocol"/> with the peer's address, then
    /// <see cref="Protocol.ConnectionMade"/>, <see cref="Protocol.DataReceived"/> for each chunk and
    /// <see cref="Protocol.ConnectionLost"/> at the end.</summary>
    /// <param name="connection">The connection, for example one end of a simulated pair in a spec, or one from an
    /// Rx listener's subscription. The protocol becomes its only reader.</param>
    /// <returns>The protocol, with its <see cref="Protocol.Factory"/> set; or <see langword="null"/> when
    /// <see cref="BuildProtocol"/> refused the connection, which is then aborted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <remarks>An exception from <see cref="Protocol.ConnectionMade"/> aborts the connection and is thrown from
    /// here; later events' exceptions end that connection only. <see cref="StartFactory"/> does not run: that is
    /// a port's business.</remarks>
    public Protocol? Serve(IConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var protocol = BuildProtocol(connection.RemoteEndPoint);
        if (protocol is null)
        {
            connection.Dispose();
            return null;
        }
        protocol.Factory = this;
        ConnectionTransport.Attach(connection, protocol);
        return protocol;
    }

    /// <summary>Builds with a delegate and sets the protocol's factory, as Twisted's <c>buildProtocol</c> does.</summary>
    private sealed class BuilderFactory(Func<Factory, Protocol?> build) : Factory
    {
        public override Protocol? BuildProtocol(EndPoint? address)
        {
            var protocol = build(this);
            protocol?.Factory = this;
            return protocol;
        }
    }
}
