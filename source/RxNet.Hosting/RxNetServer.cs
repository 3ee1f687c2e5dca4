using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RxNet.Hosting;

/// <summary>
/// One listening endpoint with its protocol, run by the Generic Host: a <see cref="ServerService"/> started
/// with the host and drained when it stops. Resolve it (<c>GetServices&lt;RxNetServer&gt;()</c>) to read the bound
/// address or the last drain's report.
/// </summary>
/// <remarks>
/// <para><b>Start.</b> The host's start binds the endpoint and fails if it cannot bind.</para>
/// <para><b>Stop.</b> The host's stop stops accepting at once, lets open connections finish for
/// <see cref="RxNetServerOptions.DrainTimeout"/>, then aborts the rest and logs a warning naming them. When the
/// host's own shutdown timeout expires first (its stop token is cancelled), the rest are aborted then.</para>
/// </remarks>
public sealed class RxNetServer : IHostedService, IDisposable
{
    private readonly Func<IServerEndpoint, ServerService> _create;
    private readonly IReactor _reactor;
    private readonly TimeSpan _drainTimeout;
    private ServerService? _service;

    internal RxNetServer(string endpoint, RxNetServerOptions options, IReactor reactor, Func<IServerEndpoint, ServerService> create)
    {
        Endpoint = endpoint;
        Name = options.Name ?? Printable(endpoint);
        _drainTimeout = options.DrainTimeout;
        _reactor = reactor;
        _create = create;
    }

    /// <summary>The endpoint description it listens on, for example <c>tcp:8000</c>.</summary>
    public string Endpoint { get; }

    /// <summary>Its name: <see cref="RxNetServerOptions.Name"/>, or the endpoint description in canonical form
    /// (a password shown as <c>***</c>, since the name goes into logs).</summary>
    public string Name { get; }

    /// <summary>The bound address once started (the real port when port 0 was asked for), else <see langword="null"/>.</summary>
    public EndPoint? BoundEndPoint => _service?.BoundEndPoint;

    /// <summary>Connections accepted and not closed yet.</summary>
    public int OpenConnections => _service?.OpenConnections ?? 0;

    /// <summary>What the host's stop did, once it has stopped: connections finished and aborted.</summary>
    public DrainReport? LastDrain { get; private set; }

    async Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        if (_service is not null)
            throw new InvalidOperationException($"The RxNet server {Name} was started before.");
        _service = _create(_reactor.ServerEndpoint(Endpoint));
        try
        {
            await _service.Start().ToTask(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _service.Abort();
            throw;
        }
    }

    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        if (_service is null)
            return;
        var drained = _service.Stop(_drainTimeout).ToTask();
        // The host gave up waiting: abort what is left now, then report. The report comes on the reactor's or
        // an I/O thread; the host's remaining shutdown goes on from the thread pool, not from there.
        using (cancellationToken.Register(_service.Abort))
            LastDrain = await drained.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
    }

    /// <summary>Aborts the server's connections if the host did not stop it (the container disposes it).</summary>
    public void Dispose() => _service?.Dispose();

    private static string Printable(string endpoint)
    {
        try
        {
            return EndpointDescription.Parse(endpoint).ToString();
        }
        catch (FormatException)
        {
            return "(a malformed endpoint description)"; // starting says what is wrong with it, redacted
        }
    }
}
