using System.Globalization;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Text;
using Microsoft.Reactive.Testing;

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
