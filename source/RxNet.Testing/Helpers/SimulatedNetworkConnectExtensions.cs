using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Twisted;

namespace RxNet.Testing;

/// <summary>
/// One-call connections on a <see cref="SimulatedNetwork"/>: listen, connect and drive the scheduler just
/// until the connection is made, so a spec goes on from a known virtual time.
/// </summary>
public static class SimulatedNetworkConnectExtensions
{
    private const int MaxStalls = 1000;

    /// <summary>
    /// Connects <paramref name="clientHost"/> to <paramref name="serverHost"/> and returns both ends, with the
    /// scheduler stopped at the instant of the connect: one link latency after the call (more across a
    /// partition, where the connect times out).
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="clientHost">The connecting host's name; created if needed.</param>
    /// <param name="serverHost">The accepting host's name; created if needed.</param>
    /// <param name="port">The server's port; 0 (the default) picks a free one.</param>
    /// <returns>Both ends; the scheduler's clock stands at the connect.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">A host name is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 0 to 65535.</exception>
    /// <exception cref="InvalidOperationException">The scheduler is running: the call comes from a scheduled action.</exception>
    /// <exception cref="IOException">The port is in use on the server host.</exception>
    /// <exception cref="TimeoutException">The hosts are partitioned: the connect timed out.</exception>
    /// <remarks>
    /// <para>The scheduler runs everything due before the connect, then stops right after it; nothing due
    /// later has run. The listener exists only for this one connection and is gone when the call returns,
    /// so the port is free again.</para>
    /// <para>Nobody reads either end yet: bytes that arrive are kept (TCP's receive buffer) until you
    /// subscribe to <c>Input</c>, for example with
    /// <see cref="RecordingExtensions.RecordText(IObservable{ReadOnlyMemory{byte}}, TestScheduler)"/> or
    /// <see cref="PeerScript.Run"/>.</para>
    /// </remarks>
    public static ConnectionPair ConnectPair(this SimulatedNetwork network, string clientHost = "client", string serverHost = "server", int port = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        IConnection? server = null;
        var client = Connect(network, clientHost, serverHost, port, accepted => server = accepted);
        return new ConnectionPair(client, server!);
    }

    /// <summary>
    /// Connects <paramref name="clientHost"/> to a one-connection server on <paramref name="serverHost"/> that
    /// <paramref name="serve"/> handles, and returns the client's end, with the scheduler stopped at the
    /// instant of the connect.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="serve">What the server does with its connection, called at the instant of the accept, as a
    /// listener's subscriber would be: for example <c>c =&gt; c.Input.Subscribe(c.Output)</c> (echo), or
    /// <c>c =&gt; run = script.Run(c, network.Scheduler)</c>.</param>
    /// <param name="clientHost">The connecting host's name; created if needed.</param>
    /// <param name="serverHost">The accepting host's name; created if needed.</param>
    /// <param name="port">The server's port; 0 (the default) picks a free one.</param>
    /// <returns>The client's end.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="serve"/> is null.</exception>
    /// <exception cref="ArgumentException">A host name is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 0 to 65535.</exception>
    /// <exception cref="InvalidOperationException">The scheduler is running: the call comes from a scheduled action.</exception>
    /// <exception cref="IOException">The port is in use on the server host.</exception>
    /// <exception cref="TimeoutException">The hosts are partitioned: the connect timed out.</exception>
    /// <remarks>If <paramref name="serve"/> throws, the server's connection is aborted (as a listener's would be)
    /// and the exception is thrown from this call.</remarks>
    public static IConnection ConnectTo(this SimulatedNetwork network, Action<IConnection> serve, string clientHost = "client", string serverHost = "server", int port = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(serve);
        return Connect(network, clientHost, serverHost, port, serve);
    }

    /// <summary>
    /// Connects <paramref name="clientHost"/> to a one-connection server on <paramref name="serverHost"/> that runs a
    /// protocol of <paramref name="factory"/>, and returns the client's end, with the scheduler stopped at the instant
    /// of the connect: Twisted's <c>iosim</c> with the protocol under test on one side and the spec on the other.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="factory">Builds the server's protocol, as a listening port would (<see cref="Factory.Serve"/>):
    /// <see cref="Protocol.ConnectionMade"/> runs at the instant of the accept.</param>
    /// <param name="clientHost">The connecting host's name; created if needed.</param>
    /// <param name="serverHost">The accepting host's name; created if needed.</param>
    /// <param name="port">The server's port; 0 (the default) picks a free one.</param>
    /// <returns>The client's end: write to it, record its input, or run a <see cref="PeerScript"/> on it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="factory"/> is null.</exception>
    /// <exception cref="ArgumentException">A host name is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 0 to 65535.</exception>
    /// <exception cref="InvalidOperationException">The scheduler is running: the call comes from a scheduled action.</exception>
    /// <exception cref="IOException">The port is in use on the server host.</exception>
    /// <exception cref="TimeoutException">The hosts are partitioned: the connect timed out.</exception>
    /// <remarks>The factory's <see cref="Factory.Reactor"/> is set to the server host's reactor, so the protocol's
    /// timers run on the network's clock. <see cref="Factory.StartFactory"/> does not run (no port listens with the
    /// factory); a factory that refuses the connection aborts it, as a port would. An exception from
    /// <see cref="Protocol.ConnectionMade"/> is thrown from this call.</remarks>
    [SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads differ in a required parameter's type (a Factory or a delegate), so no call is ambiguous.")]
    public static IConnection ConnectTo(this SimulatedNetwork network, Factory factory, string clientHost = "client", string serverHost = "server", int port = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(factory);
        return Connect(network, clientHost, serverHost, port, connection => ServeOn(network, serverHost, factory, connection));
    }

    /// <summary>
    /// Connects a protocol of <paramref name="clientFactory"/> on <paramref name="clientHost"/> to a protocol of
    /// <paramref name="serverFactory"/> on <paramref name="serverHost"/>, and returns both protocols, with the scheduler
    /// stopped at the instant of the connect (Twisted's <c>iosim.connectedServerAndClient</c>).
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="serverFactory">Builds the accepting side's protocol, at the instant of the accept.</param>
    /// <param name="clientFactory">Builds the connecting side's protocol, at the instant of the connect.</param>
    /// <param name="clientHost">The connecting host's name; created if needed.</param>
    /// <param name="serverHost">The accepting host's name; created if needed.</param>
    /// <param name="port">The server's port; 0 (the default) picks a free one.</param>
    /// <returns>Both protocols, connected: deconstruct as <c>var (client, server) = network.ConnectPair(...)</c>; their
    /// <see cref="Protocol.Transport"/> is the way to write, and <c>Transport.Connection</c> the Rx connection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or a factory is null.</exception>
    /// <exception cref="ArgumentException">A host name is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 0 to 65535.</exception>
    /// <exception cref="InvalidOperationException">The scheduler is running, or a factory refused the connection
    /// (its <see cref="Factory.BuildProtocol"/> returned <see langword="null"/>; both ends are then aborted).</exception>
    /// <exception cref="IOException">The port is in use on the server host.</exception>
    /// <exception cref="TimeoutException">The hosts are partitioned: the connect timed out.</exception>
    /// <remarks>Each factory's <see cref="Factory.Reactor"/> is set to its host's reactor. The factories are used as
    /// <see cref="Factory.Serve"/> uses them: a <see cref="ClientFactory"/>'s connecting events
    /// (<see cref="ClientFactory.ClientConnectionLost"/>...) are not called; for those, connect with
    /// <c>ConnectTcp</c> from the client host's reactor. Drive the scheduler (<c>Start</c>, <c>AdvanceBy</c>) to let
    /// the protocols talk, as Twisted's <c>pump.flush()</c>.</remarks>
    [SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads differ in their required parameters (two factories or none), so no call is ambiguous.")]
    public static (Protocol Client, Protocol Server) ConnectPair(this SimulatedNetwork network, Factory serverFactory, Factory clientFactory, string clientHost = "client", string serverHost = "server", int port = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(serverFactory);
        ArgumentNullException.ThrowIfNull(clientFactory);
        Protocol? server = null;
        var connection = Connect(network, clientHost, serverHost, port, accepted => server = ServeOn(network, serverHost, serverFactory, accepted));
        var client = server is null ? null : ServeOn(network, clientHost, clientFactory, connection);
        if (server is null || client is null)
        {
            connection.Dispose();
            throw new InvalidOperationException($"{(server is null ? serverFactory : clientFactory).GetType().Name} refused the connection: its BuildProtocol returned null.");
        }
        return (client, server);
    }

    /// <summary>Runs the factory's protocol over a connection of <paramref name="host"/>, with the host's reactor as the factory's.</summary>
    private static Protocol? ServeOn(SimulatedNetwork network, string host, Factory factory, IConnection connection)
    {
        factory.Reactor = network.Host(host).Reactor;
        return factory.Serve(connection);
    }

    private static IConnection Connect(SimulatedNetwork network, string clientHost, string serverHost, int port, Action<IConnection> serve)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientHost);
        ArgumentException.ThrowIfNullOrEmpty(serverHost);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var scheduler = network.Scheduler;
        if (scheduler.IsEnabled)
            throw new InvalidOperationException(
                "Connecting in one call drives the scheduler, so it cannot run inside a scheduled action; subscribe to a client endpoint's Connect() there instead.");

        int boundPort = port;
        bool accepted = false;
        ExceptionDispatchInfo? failure = null;
        IConnection? client = null;
        using var listening = network.Host(serverHost).Reactor
            .ServerEndpoint(string.Create(CultureInfo.InvariantCulture, $"tcp:{port}"))
            .Listen(bound => boundPort = ((DnsEndPoint)bound).Port)
            .Subscribe(connection =>
            {
                if (accepted)
                {
                    connection.Dispose(); // someone else connected to this one-connection listener
                    return;
                }
                accepted = true;
                try
                {
                    serve(connection);
                }
                catch (Exception e)
                {
                    failure ??= ExceptionDispatchInfo.Capture(e);
                    throw; // the listener aborts the connection, as it would for any subscriber that throws
                }
            }, e => failure ??= ExceptionDispatchInfo.Capture(e));
        failure?.Throw();

        using var connecting = network.Host(clientHost).Reactor
            .ClientEndpoint(string.Create(CultureInfo.InvariantCulture, $"tcp:host={Escape(serverHost)}:port={boundPort}"))
            .Connect()
            .Subscribe(connection =>
            {
                client = connection;
                scheduler.Stop();
            }, e =>
            {
                failure ??= ExceptionDispatchInfo.Capture(e);
                scheduler.Stop();
            });

        int stalls = 0;
        while (client is null && failure is null)
        {
            long before = scheduler.Clock;
            scheduler.Start(); // returns at the connect (Stop above), when the queue is empty, or at someone else's Stop
            if (client is null && failure is null && scheduler.Clock == before && ++stalls > MaxStalls)
                throw new InvalidOperationException("The scheduler ran out of work before the connection was made.");
        }
        failure?.Throw();
        return client!;
    }

    /// <summary>Escapes the characters that endpoint descriptions treat specially.</summary>
    private static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (c is ':' or '=' or '\\')
                text.Append('\\');
            text.Append(c);
        }
        return text.ToString();
    }
}
