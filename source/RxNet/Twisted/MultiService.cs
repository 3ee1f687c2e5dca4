using System.Reactive;
using System.Reactive.Linq;

namespace RxNet.Twisted;

/// <summary>
/// A service made of services: Twisted's <c>service.MultiService</c> (and its <c>IServiceCollection</c>). Children
/// start in the order they were added and stop in the reverse order; its <see cref="StopService"/> completes once
/// every child has stopped.
/// </summary>
/// <remarks>
/// <para>Add a child with <see cref="Service.SetServiceParent"/>; remove it with
/// <see cref="Service.DisownServiceParent"/>. A child added while this service runs starts at once, a child removed
/// while it runs is stopped.</para>
/// <para><b>Stopping.</b> <see cref="StopService"/> asks every child to stop, last added first, without waiting for
/// one before asking the next (as Twisted's <c>DeferredList</c> of the children's stops); it completes when all have
/// stopped, or then fails with the first failure in stop order (an <see cref="AggregateException"/> when several
/// failed). A child whose stop throws or fails does not keep the others from stopping.</para>
/// <para>Not thread-safe, as <see cref="Service"/>.</para>
/// </remarks>
public class MultiService : Service
{
    private readonly List<Service> _services = [];
    private readonly Dictionary<string, Service> _named = new(StringComparer.Ordinal);

    /// <summary>The children, in the order they were added (Twisted iterates a <c>MultiService</c>).</summary>
    public IReadOnlyList<Service> Services => _services;

    /// <summary>The child named <paramref name="name"/> (Twisted's <c>getServiceNamed</c>).</summary>
    /// <param name="name">The child's <see cref="Service.Name"/>.</param>
    /// <returns>The child.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No child has that name.</exception>
    public Service GetServiceNamed(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _named.TryGetValue(name, out var service) ? service
            : throw new KeyNotFoundException($"{this} has no service named {name}.");
    }

    /// <summary>Runs the children's <see cref="Service.PrivilegedStartService"/>, in order.</summary>
    public override void PrivilegedStartService()
    {
        base.PrivilegedStartService();
        foreach (var service in _services.ToArray())
            service.PrivilegedStartService();
    }

    /// <summary>Starts, then starts the children in the order they were added.</summary>
    public override void StartService()
    {
        base.StartService();
        foreach (var service in _services.ToArray())
            service.StartService();
    }

    /// <summary>Stops, then stops the children, last added first.</summary>
    /// <returns>Emits once and completes when every child has stopped; fails then if any child's stop failed.</returns>
    public override IObservable<Unit> StopService()
    {
        base.StopService();
        var stops = new List<IObservable<Exception?>>(_services.Count);
        for (int i = _services.Count - 1; i >= 0; i--)
        {
            stops.Add(StopChild(_services[i])
                .LastOrDefaultAsync()
                .Select(_ => (Exception?)null)
                .Catch((Exception e) => Observable.Return<Exception?>(e))
                .Replay(1).AutoConnect(0)); // asked to stop now, in this order, whoever subscribes
        }
        return Eager(stops.Concat().ToList().SelectMany(outcomes =>
        {
            var failures = outcomes.OfType<Exception>().ToList();
            return failures.Count switch
            {
                0 => Observable.Return(Unit.Default),
                1 => Observable.Throw<Unit>(failures[0]),
                _ => Observable.Throw<Unit>(new AggregateException($"{failures.Count} services of {this} failed to stop.", failures)),
            };
        }));
    }

    /// <summary>Adds a child (Twisted's <c>addService</c>, reached through <see cref="Service.SetServiceParent"/>),
    /// starting it if this service runs.</summary>
    internal void AddService(Service service)
    {
        if (service.Name is { } name)
        {
            if (!_named.TryAdd(name, service))
                throw new InvalidOperationException($"{this} has a service named {name} already; names are unique among siblings.");
        }
        _services.Add(service);
        if (Running)
        {
            service.PrivilegedStartService();
            service.StartService();
        }
    }

    /// <summary>Removes a child (Twisted's <c>removeService</c>), stopping it if this service runs.</summary>
    internal IObservable<Unit> RemoveService(Service service)
    {
        if (service.Name is { } name)
            _named.Remove(name);
        _services.Remove(service);
        return Running ? StopChild(service) : Observable.Return(Unit.Default);
    }

    private static IObservable<Unit> StopChild(Service service)
    {
        try
        {
            return service.StopService();
        }
#pragma warning disable CA1031 // one child's failure must not keep its siblings running; it is reported by the stop
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Observable.Throw<Unit>(e);
        }
    }
}
