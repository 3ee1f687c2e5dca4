namespace RxNet.Twisted;

/// <summary>Twisted's <c>ClientFactory</c>: a <see cref="Factory"/> that also hears how connecting went.</summary>
public class ClientFactory : Factory
{
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
}
