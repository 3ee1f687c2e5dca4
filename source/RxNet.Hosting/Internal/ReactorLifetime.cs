using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RxNet.Twisted;

namespace RxNet.Hosting.Internal;

/// <summary>
/// Maps the host's lifetime onto the reactor's system events (ADR 0012): starting/started/stopping/stopped are
/// "before"/"after" startup and shutdown, and the plain start and stop are "during". Registered before every
/// server, so startup triggers run before the servers bind and "after startup" (<c>CallWhenRunning</c>) once
/// they are bound, while "before shutdown" runs before any server stops accepting.
/// </summary>
internal sealed class ReactorLifetime(IReactor reactor, ILoggerFactory loggerFactory) : IHostedLifecycleService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("RxNet.Twisted.SystemEvents");

    public Task StartingAsync(CancellationToken cancellationToken) => Fire(SystemEventType.Startup, SystemEventPhase.Before, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Fire(SystemEventType.Startup, SystemEventPhase.During, cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => Fire(SystemEventType.Startup, SystemEventPhase.After, cancellationToken);

    public Task StoppingAsync(CancellationToken cancellationToken) => Fire(SystemEventType.Shutdown, SystemEventPhase.Before, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Fire(SystemEventType.Shutdown, SystemEventPhase.During, cancellationToken);

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await Fire(SystemEventType.Shutdown, SystemEventPhase.After, cancellationToken).ConfigureAwait(false);
        reactor.Stop(); // whoever waits in reactor.Run() returns with the host
    }

    // A cancelled token (the host's timeout) stops waiting for slow "before" triggers, as the host gives up.
    // A phase over at once (no triggers, or none to wait for) is over even when the host has given up already.
    private Task<Unit> Fire(SystemEventType eventType, SystemEventPhase phase, CancellationToken cancellationToken)
    {
        var fired = reactor.FireSystemEvent(eventType, phase, _logger).ToTask();
        return fired.IsCompleted ? fired : fired.WaitAsync(cancellationToken);
    }
}
