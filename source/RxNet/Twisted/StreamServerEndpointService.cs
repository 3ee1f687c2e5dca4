using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;

namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>StreamServerEndpointService(endpoint, factory)</c>: a <see cref="ServerService"/> that serves each
/// accepted connection with a protocol of a <see cref="Factory"/>, with the service's start, graceful stop and drain.
/// </summary>
public static class StreamServerEndpointService
{
    /// <summary>A service that serves every accepted connection with a protocol of <paramref name="factory"/>.</summary>
    /// <param name="endpoint">Where to listen, for example <c>reactor.ServerEndpoint("tcp:8000")</c>.</param>
    /// <param name="factory">Builds a protocol per connection; a <see langword="null"/> protocol refuses the
    /// connection. <see cref="Factory.StartFactory"/> runs as the service starts and <see cref="Factory.StopFactory"/>
    /// once it has stopped listening.</param>
    /// <param name="scheduler">The scheduler of the drain deadline: the reactor's (<c>reactor.Scheduler</c>).</param>
    /// <param name="logger">Where the service logs listening, failures and the drain; none if <see langword="null"/>.</param>
    /// <returns>The service, not started yet: call <see cref="ServerService.Start"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/>, <paramref name="factory"/> or
    /// <paramref name="scheduler"/> is null.</exception>
    public static ServerService Create(IServerEndpoint endpoint, Factory factory, IScheduler scheduler, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        factory.UseLoggerIfUnset(logger);
        return new ServerService(endpoint, connection => factory.Serve(connection), scheduler, logger, factory.DoStart, factory.DoStop);
    }
}
