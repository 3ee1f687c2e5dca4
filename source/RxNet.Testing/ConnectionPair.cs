namespace RxNet.Testing;

/// <summary>
/// Both ends of one connection: what <see cref="SimulatedNetworkConnectExtensions.ConnectPair(SimulatedNetwork, string, string, int)"/> makes in
/// one call (Twisted's <c>iosim.connectedServerAndClient</c>), and what a
/// <c>TransportContract</c> subclass (package RxNet.Testing.Xunit) makes for each spec.
/// </summary>
/// <remarks>Deconstructs as <c>var (client, server) = network.ConnectPair();</c>. Disposing it aborts both ends.</remarks>
public sealed class ConnectionPair : IDisposable
{
    /// <summary>Pairs two connected ends.</summary>
    /// <param name="client">The end that connected (what <see cref="IClientEndpoint.Connect"/> gave).</param>
    /// <param name="server">The end that was accepted (what <see cref="IServerEndpoint.Listen"/> gave), connected to <paramref name="client"/>.</param>
    /// <exception cref="ArgumentNullException">An end is null.</exception>
    public ConnectionPair(IConnection client, IConnection server)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(server);
        Client = client;
        Server = server;
    }

    /// <summary>The connecting side's connection.</summary>
    public IConnection Client { get; }

    /// <summary>The accepting side's connection.</summary>
    public IConnection Server { get; }

    /// <summary>Deconstructs the pair.</summary>
    /// <param name="client">The connecting side's connection.</param>
    /// <param name="server">The accepting side's connection.</param>
    public void Deconstruct(out IConnection client, out IConnection server)
    {
        client = Client;
        server = Server;
    }

    /// <summary>Aborts both ends (<see cref="IDisposable.Dispose"/> of each); idempotent.</summary>
    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
