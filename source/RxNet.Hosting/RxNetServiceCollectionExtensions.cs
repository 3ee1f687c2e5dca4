using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RxNet.Hosting.Internal;
using RxNet.Sockets;
using RxNet.Twisted;

namespace RxNet.Hosting;

/// <summary>
/// RxNet on the Generic Host: <c>builder.Services.AddRxNetServer("tcp:8000", c =&gt; c.Input.Subscribe(c.Output))</c>
/// runs an echo server with the host, and drains it when the host stops (Ctrl+C, SIGTERM).
/// </summary>
public static class RxNetServiceCollectionExtensions
{
    /// <summary>Registers the reactor: a <see cref="SocketReactor"/> as the <see cref="IReactor"/> singleton, logging
    /// through the host's <see cref="ILoggerFactory"/> and measuring through its <see cref="IMeterFactory"/>, and
    /// disposed with the host. The host's start and stop fire the reactor's system events
    /// (<see cref="ReactorLifecycleExtensions"/>).</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes to the socket options, for example <c>o =&gt; o with { Backlog = 128 }</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <remarks>Idempotent: an <see cref="IReactor"/> registered before (a simulated one in a spec, or a call
    /// before this one) is kept, and <paramref name="configure"/> is then not used.</remarks>
    public static IServiceCollection AddRxNetReactor(this IServiceCollection services, Func<TcpOptions, TcpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IReactor>(sp =>
        {
            var options = TcpOptions.Default with
            {
                LoggerFactory = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
                MeterFactory = sp.GetService<IMeterFactory>(),
            };
            return new SocketReactor(configure is null ? options : configure(options));
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ReactorLifetime>(sp =>
            new ReactorLifetime(sp.GetRequiredService<IReactor>(), sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance)));
        return services;
    }

    /// <summary>Registers a server: listens on <paramref name="endpoint"/> while the host runs and hands every
    /// connection to <paramref name="serve"/>; when the host stops, drains (see <see cref="RxNetServer"/>).</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="endpoint">A server endpoint description, for example <c>tcp:8000</c> or
    /// <c>tcp:0:interface=127.0.0.1</c>; parsed by the reactor when the host starts.</param>
    /// <param name="serve">Called once per accepted connection, which it owns.</param>
    /// <param name="configure">The server's options (drain timeout, name).</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <remarks>Registers the reactor too (<see cref="AddRxNetReactor"/>) if it is not yet. Call it once per server;
    /// each is an <see cref="IHostedService"/> and an <see cref="RxNetServer"/> service.</remarks>
    public static IServiceCollection AddRxNetServer(this IServiceCollection services, string endpoint, Action<IConnection> serve, Action<RxNetServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(serve);
        return services.AddServer(endpoint, configure, (endpoint, _, scheduler, logger) => new ServerService(endpoint, serve, scheduler, logger));
    }

    /// <summary>Registers a server that serves each connection with a protocol of <paramref name="factory"/>
    /// (the Twisted style: <c>strports.service("tcp:8000", factory)</c>).</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="endpoint">A server endpoint description, for example <c>tcp:8000</c>.</param>
    /// <param name="factory">Builds a protocol per connection.</param>
    /// <param name="configure">The server's options (drain timeout, name).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddRxNetServer(this IServiceCollection services, string endpoint, Factory factory, Action<RxNetServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return services.AddServer(endpoint, configure, (endpoint, _, scheduler, logger) => StreamServerEndpointService.Create(endpoint, factory, scheduler, logger));
    }

    /// <summary>Registers a server whose <see cref="Factory"/> is built from the host's services when the host starts:
    /// a factory that needs a database, options or the reactor itself (for its protocols' timers) gets them from
    /// <paramref name="buildFactory"/>'s provider.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="endpoint">A server endpoint description, for example <c>tcp:8000</c>.</param>
    /// <param name="buildFactory">Builds the factory, once, from the host's services; the host's reactor is
    /// <c>provider.GetRequiredService&lt;IReactor&gt;()</c>, the one that runs the server.</param>
    /// <param name="configure">The server's options (drain timeout, name).</param>
    /// <returns><paramref name="services"/>.</returns>
#pragma warning disable RS0026 // the same optional `configure` as its two sibling overloads, which shipped so
    public static IServiceCollection AddRxNetServer(this IServiceCollection services, string endpoint, Func<IServiceProvider, Factory> buildFactory, Action<RxNetServerOptions>? configure = null)
#pragma warning restore RS0026
    {
        ArgumentNullException.ThrowIfNull(buildFactory);
        return services.AddServer(endpoint, configure, (endpoint, provider, scheduler, logger) =>
            StreamServerEndpointService.Create(endpoint, buildFactory(provider), scheduler, logger));
    }

    /// <summary>Runs a Twisted-style service tree with the host (twistd's job): the <see cref="Service"/> that
    /// <paramref name="buildApplication"/> returns, usually an <see cref="Application"/>, is started when the host
    /// starts (<see cref="Service.PrivilegedStartService"/>, then <see cref="Service.StartService"/>) and stopped when it
    /// stops, the host's stop waiting until <see cref="Service.StopService"/> has completed (its drains included).</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="buildApplication">Builds the tree, once, from the host's services (the reactor is
    /// <c>provider.GetRequiredService&lt;IReactor&gt;()</c>, for a <see cref="TimerService"/>'s clock or a server's endpoint).</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <remarks>Registers the reactor too (<see cref="AddRxNetReactor"/>), before the application, so the reactor's
    /// startup triggers have run when it starts, and its "before shutdown" ones before it stops. When the host's own
    /// shutdown timeout expires first (its stop token is cancelled), the host stops waiting; the tree goes on stopping.</remarks>
    public static IServiceCollection AddRxNetApplication(this IServiceCollection services, Func<IServiceProvider, Service> buildApplication)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(buildApplication);
        services.AddRxNetReactor();
        services.AddSingleton<IHostedService>(sp => new HostedApplication(buildApplication(sp)));
        return services;
    }

    private static IServiceCollection AddServer(this IServiceCollection services, string endpoint,
        Action<RxNetServerOptions>? configure, Func<IServerEndpoint, IServiceProvider, System.Reactive.Concurrency.IScheduler, ILogger, ServerService> create)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        var options = new RxNetServerOptions();
        configure?.Invoke(options);
        services.AddRxNetReactor();
        object key = new(); // each registration is its own server, even for the same endpoint
        services.AddKeyedSingleton(key, (sp, _) =>
        {
            var reactor = sp.GetRequiredService<IReactor>();
            var logger = (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<RxNetServer>();
            return new RxNetServer(endpoint, options, reactor, listen => create(listen, sp, reactor.Scheduler, logger));
        });
        services.AddSingleton(sp => sp.GetRequiredKeyedService<RxNetServer>(key));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<RxNetServer>(key));
        return services;
    }
}
