using System.Net;

namespace RxNet.Twisted;

/// <summary>Twisted's <c>ClientFactory</c>: a <see cref="Factory"/> that also hears how connecting went.</summary>
public class ClientFactory : Factory
{
    /// <summary>A client factory that builds a new <typeparamref name="T"/> for every connection (Twisted's
    /// <c>ClientFactory.forProtocol</c>), for <see cref="ReactorExtensions.ConnectTcp"/>.</summary>
    /// <typeparam name="T">The protocol type.</typeparam>
    /// <returns>The client factory.</returns>
    public static new ClientFactory ForProtocol<T>()
        where T : Protocol, new() => new BuilderClientFactory(_ => new T());

    /// <summary>A client factory that calls <paramref name="build"/> with itself for every connection, so the protocol
    /// can take the factory's <see cref="Factory.Reactor"/> (set by <c>ConnectTcp</c> and <c>Connect</c>) in its constructor.</summary>
    /// <param name="build">Makes the protocol from the factory; <see langword="null"/> refuses the connection.</param>
    /// <returns>The client factory; the protocols it builds have their <see cref="Protocol.Factory"/> set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="build"/> is null.</exception>
    public static ClientFactory ForProtocol(Func<ClientFactory, Protocol?> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return new BuilderClientFactory(build);
    }

    /// <summary>Called when a connection attempt starts.</summary>
    /// <param name="connector">The attempt; <see cref="IConnector.StopConnecting"/> cancels it.</param>
    public virtual void StartedConnecting(IConnector connector)
    {
    }

    /// <summary>Called when a connection attempt fails (refused, timed out, unresolvable host).</summary>
    /// <param name="connector">The attempt; <see cref="IConnector.Connect"/> tries again.</param>
    /// <param name="reason">Why it failed.</param>
    public virtual void ClientConnectionFailed(IConnector connector, Exception reason)
    {
    }

    /// <summary>Called when an established connection has ended.</summary>
    /// <param name="connector">The connector; <see cref="IConnector.Connect"/> reconnects.</param>
    /// <param name="reason">How it ended.</param>
    public virtual void ClientConnectionLost(IConnector connector, ConnectionClosed reason)
    {
    }

    /// <summary>Builds with a delegate and sets the protocol's factory, as Twisted's <c>buildProtocol</c> does.</summary>
    private sealed class BuilderClientFactory(Func<ClientFactory, Protocol?> build) : ClientFactory
    {
        public override Protocol? BuildProtocol(EndPoint? address)
        {
            var protocol = build(this);
            protocol?.Factory = this;
            return protocol;
        }
    }
}
