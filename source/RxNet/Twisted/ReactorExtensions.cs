using System.Globalization;
using System.Net;
using System.Reactive.Concurrency;

namespace RxNet.Twisted;

/// <summary>
/// Twisted's reactor methods on any <see cref="IReactor"/>: <c>ListenTcp</c>, <c>ConnectTcp</c>,
/// <c>CallLater</c>. They work the same on the socket reactor and on a simulated one.
/// </summary>
public static class ReactorExtensions
{
    /// <summary>Listens on a TCP port with a factory (Twisted's <c>reactor.listenTCP</c>).</summary>
    /// <param name="reactor">The reactor.</param>
    /// <param name="port">The port; 0 picks a free one (see <see cref="IListeningPort.Host"/>).</param>
    /// <param name="factory">Builds a protocol per connection; its <see cref="Factory.Reactor"/> becomes <paramref name="reactor"/>.</param>
    /// <param name="backlog">The listen backlog; 50 as in Twisted.</param>
    /// <param name="interface">The address to bind; empty for all IPv4 interfaces.</param>
    /// <returns>The listening port.</returns>
    /// <exception cref="IOException">The port cannot be bound (Twisted's <c>CannotListenError</c>).</exception>
    public static IListeningPort ListenTcp(this IReactor reactor, int port, Factory factory, int backlog = 50, string @interface = "")
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(@interface);
        bool v6 = IPAddress.TryParse(@interface, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        string description = string.Create(CultureInfo.InvariantCulture, $"{(v6 ? "tcp6" : "tcp")}:{port}:backlog={backlog}")
            + (@interface.Length > 0 ? ":interface=" + EndpointDescription.Escape(@interface) : "");
        return Listen(reactor, description, factory);
    }

    /// <summary>Connects to a TCP server with a client factory (Twisted's <c>reactor.connectTCP</c>).</summary>
    /// <param name="reactor">The reactor.</param>
    /// <param name="host">A host name or address.</param>
    /// <param name="port">The port.</param>
    /// <param name="factory">Builds the protocol and hears how connecting went; its <see cref="Factory.Reactor"/> becomes <paramref name="reactor"/>.</param>
    /// <param name="timeout">Seconds to wait for the connection; 30 as in Twisted.</param>
    /// <returns>The connector, to cancel or retry.</returns>
    public static IConnector ConnectTcp(this IReactor reactor, string host, int port, ClientFactory factory, double timeout = 30)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentNullException.ThrowIfNull(factory);
        string description = string.Create(CultureInfo.InvariantCulture,
            $"tcp:host={EndpointDescription.Escape(host)}:port={port}:timeout={timeout}");
        return Connect(reactor, description, factory);
    }

    /// <summary>Listens on any endpoint string with a factory: Twisted's
    /// <c>serverFromString(reactor, description).listen(factory)</c>.</summary>
    /// <param name="reactor">The reactor.</param>
    /// <param name="description">An endpoint string the reactor understands (<c>tcp:8000</c>, <c>unix:/run/app.sock</c>, ...).</param>
    /// <param name="factory">Builds a protocol per connection; its <see cref="Factory.Reactor"/> becomes <paramref name="reactor"/>.</param>
    /// <returns>The listening port.</returns>
    /// <exception cref="FormatException">The description is malformed.</exception>
    /// <exception cref="IOException">The endpoint cannot listen (Twisted's <c>CannotListenError</c>).</exception>
    public static IListeningPort Listen(this IReactor reactor, string description, Factory factory)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(factory);
        var endpoint = reactor.ServerEndpoint(description);
        factory.Reactor = reactor;
        return ListeningPort.Start(endpoint, factory);
    }

    /// <summary>Connects to any endpoint string with a client factory: Twisted's
    /// <c>clientFromString(reactor, description).connect(factory)</c>, with the connector of <c>connectTCP</c>.</summary>
    /// <param name="reactor">The reactor.</param>
    /// <param name="description">An endpoint string the reactor understands (<c>tcp:host=example.com:port=80</c>, ...).</param>
    /// <param name="factory">Builds the protocol and hears how connecting went; its <see cref="Factory.Reactor"/> becomes <paramref name="reactor"/>.</param>
    /// <returns>The connector, to cancel or retry.</returns>
    /// <exception cref="FormatException">The description is malformed.</exception>
    public static IConnector Connect(this IReactor reactor, string description, ClientFactory factory)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(factory);
        var connector = new Connector(reactor.ClientEndpoint(description), description, factory);
        factory.Reactor = reactor;
        connector.Connect();
        return connector;
    }

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> on the reactor's scheduler
    /// (Twisted's <c>reactor.callLater</c>). In virtual time the delay is virtual too.</summary>
    /// <param name="reactor">The reactor.</param>
    /// <param name="delay">How long to wait.</param>
    /// <param name="action">What to run.</param>
    /// <returns>Dispose it to cancel the call (Twisted's <c>IDelayedCall.cancel</c>).</returns>
    /// <remarks>If <paramref name="action"/> throws, the exception goes to the reactor's scheduler tagged with its
    /// source (<c>CallLater(delay) Type.Method</c>): the built-in reactors log it and keep running, as Twisted does
    /// (<see cref="CallbackErrors.CatchAndLog"/>).</remarks>
    public static IDisposable CallLater(this IReactor reactor, TimeSpan delay, Action action)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(action);
        return reactor.Scheduler.Schedule(delay, () =>
        {
            try
            {
                action();
            }
            catch (Exception e) when (CallbackErrors.Tag(e, string.Create(CultureInfo.InvariantCulture, $"CallLater({delay}) {CallbackErrors.Describe(action)}")))
            {
                throw; // never reached: the filter only names the source
            }
        });
    }

    /// <summary>Runs <paramref name="action"/> after <paramref name="seconds"/> seconds (Twisted's <c>reactor.callLater</c>).</summary>
    /// <param name="reactor">The reactor.</param>
    /// <param name="seconds">How long to wait, in seconds.</param>
    /// <param name="action">What to run.</param>
    /// <returns>Dispose it to cancel the call.</returns>
    public static IDisposable CallLater(this IReactor reactor, double seconds, Action action) =>
        reactor.CallLater(TimeSpan.FromSeconds(seconds), action);
}
