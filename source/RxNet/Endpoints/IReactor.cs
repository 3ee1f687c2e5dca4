using System.Reactive.Concurrency;

namespace RxNet;

/// <summary>
/// An event loop: a scheduler plus the ability to listen, connect and bind. Twisted's reactor.
/// </summary>
/// <remarks>Protocol code that takes an <see cref="IReactor"/> cannot tell a socket reactor from a
/// simulated one, so it runs unchanged in virtual time.</remarks>
public interface IReactor
{
    /// <summary>The reactor's scheduler: timers (<c>CallLater</c>), timeouts and <c>ObserveOn</c> use it.</summary>
    IScheduler Scheduler { get; }

    /// <summary>The endpoint-string schemes this reactor understands, its built-in ones first; add your own
    /// here (or to <see cref="EndpointSchemes.Shared"/> for every reactor).</summary>
    EndpointSchemes Schemes { get; }

    /// <summary>A server endpoint from its description, for example <c>tcp:8000:interface=127.0.0.1</c>.</summary>
    /// <param name="description">A Twisted-style endpoint string.</param>
    /// <returns>The endpoint; nothing is bound until its <c>Listen()</c> is subscribed.</returns>
    /// <exception cref="FormatException">The description is malformed; the message points at the bad part.</exception>
    IServerEndpoint ServerEndpoint(string description);

    /// <summary>A client endpoint from its description, for example <c>tcp:host=localhost:port=8000</c>.</summary>
    /// <param name="description">A Twisted-style endpoint string.</param>
    /// <returns>The endpoint; nothing connects until its <c>Connect()</c> is subscribed.</returns>
    /// <exception cref="FormatException">The description is malformed; the message points at the bad part.</exception>
    IClientEndpoint ClientEndpoint(string description);

    /// <summary>A datagram endpoint from its description, for example <c>udp:9999</c> or <c>udp:0:interface=127.0.0.1</c>.</summary>
    /// <param name="description">A Twisted-style endpoint string.</param>
    /// <returns>The endpoint; nothing is bound until its <c>Bind()</c> is subscribed.</returns>
    /// <exception cref="FormatException">The description is malformed; the message points at the bad part.</exception>
    IDatagramEndpoint DatagramEndpoint(string description);

    /// <summary>Runs the reactor until <see cref="Stop"/> is called (Twisted's <c>reactor.run()</c>).</summary>
    void Run();

    /// <summary>Makes <see cref="Run"/> return (Twisted's <c>reactor.stop()</c>). Idempotent.</summary>
    void Stop();
}
