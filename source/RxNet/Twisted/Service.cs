using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace RxNet.Twisted;

/// <summary>
/// Something that starts and stops with its application: Twisted's <c>service.Service</c>. Subclass it and
/// override <see cref="StartService"/> and <see cref="StopService"/> (calling the base), or use the ready ones:
/// <see cref="MultiService"/>, <see cref="TimerService"/>, <see cref="ServerService.AsService"/>.
/// </summary>
/// <remarks>
/// <para><b>Tree.</b> A service belongs to at most one <see cref="MultiService"/> (<see cref="SetServiceParent"/>);
/// the root is an <see cref="Application"/>, started by the reactor
/// (<see cref="ReactorLifecycleExtensions.StartApplication"/>) or by the Generic Host (RxNet.Hosting's
/// <c>AddRxNetApplication</c>).</para>
/// <para><b>Stopping.</b> <see cref="StopService"/> returns an observable where Twisted returns a Deferred: it emits
/// once and completes when the service has stopped (fails if stopping failed), replays to late subscribers, and the
/// stop does not wait for a subscriber, as <see cref="ServerService.Stop(TimeSpan)"/> does.</para>
/// <para><b>Threads.</b> Not thread-safe, as in Twisted: start, stop and reparent a tree from one thread at a time
/// (the reactor's, or the host's start and stop). The stop observables may complete on any thread.</para>
/// </remarks>
public class Service
{
    private static readonly IObservable<Unit> s_stopped = Observable.Return(Unit.Default);
    private string? _name;

    /// <summary>The service's name, unique among its siblings (<see cref="MultiService.GetServiceNamed"/>), or
    /// <see langword="null"/> (Twisted's <c>name</c> and <c>setName</c>).</summary>
    /// <exception cref="InvalidOperationException">Set while the service has a parent.</exception>
    public string? Name
    {
        get => _name;
        set
        {
            if (Parent is not null)
                throw new InvalidOperationException($"Cannot rename the service {_name} while it has a parent; disown it first.");
            _name = value;
        }
    }

    /// <summary>Whether <see cref="StartService"/> ran and <see cref="StopService"/> has not (Twisted's <c>running</c>).</summary>
    public bool Running { get; private set; }

    /// <summary>The collection the service belongs to, or <see langword="null"/> (Twisted's <c>parent</c>).</summary>
    public MultiService? Parent { get; private set; }

    /// <summary>Adds the service to <paramref name="parent"/>, leaving its previous parent first (Twisted's
    /// <c>setServiceParent</c>). When <paramref name="parent"/> is running, the service is started at once
    /// (<see cref="PrivilegedStartService"/>, then <see cref="StartService"/>).</summary>
    /// <param name="parent">The new parent, for example an <see cref="Application"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="parent"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="parent"/> has a service of the same name already,
    /// or is this service or one of its children.</exception>
    public void SetServiceParent(MultiService parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        for (var ancestor = parent; ancestor is not null; ancestor = ancestor.Parent)
        {
            if (ReferenceEquals(ancestor, this))
                throw new InvalidOperationException($"The service {Name} cannot be its own parent or ancestor.");
        }
        if (Parent is not null)
            DisownServiceParent();
        Parent = parent;
        try
        {
            parent.AddService(this);
        }
        catch
        {
            Parent = null;
            throw;
        }
    }

    /// <summary>Removes the service from its parent (Twisted's <c>disownServiceParent</c>), stopping it if the
    /// parent is running.</summary>
    /// <returns>The stop of the service when it was stopped (see <see cref="StopService"/>); else one that has
    /// completed.</returns>
    /// <exception cref="InvalidOperationException">The service has no parent.</exception>
    public IObservable<Unit> DisownServiceParent()
    {
        var parent = Parent ?? throw new InvalidOperationException($"The service {Name} has no parent to leave.");
        var stopped = parent.RemoveService(this);
        Parent = null;
        return stopped;
    }

    /// <summary>Runs before <see cref="StartService"/>, where Twisted runs it with root privileges (to bind a low
    /// port before dropping them); RxNet runs it just before starting and does not change privileges. Does nothing
    /// by default.</summary>
    public virtual void PrivilegedStartService()
    {
    }

    /// <summary>Starts the service (Twisted's <c>startService</c>): sets <see cref="Running"/>. An override calls
    /// the base first.</summary>
    public virtual void StartService() => Running = true;

    /// <summary>Stops the service (Twisted's <c>stopService</c>): clears <see cref="Running"/>. An override calls the
    /// base and returns its own stop when stopping takes time.</summary>
    /// <returns>Emits once and completes when the service has stopped; this base one has already.</returns>
    public virtual IObservable<Unit> StopService()
    {
        Running = false;
        return s_stopped;
    }

    /// <inheritdoc/>
    public override string ToString() => Name is null ? GetType().Name : $"{GetType().Name} {Name}";

    /// <summary>Subscribes <paramref name="stop"/> now and replays how it ended: a stop runs whether or not its
    /// caller subscribes.</summary>
    private protected static IObservable<Unit> Eager(IObservable<Unit> stop)
    {
        var stopped = new AsyncSubject<Unit>();
        stop.LastOrDefaultAsync().Subscribe(stopped);
        return stopped.AsObservable();
    }
}
