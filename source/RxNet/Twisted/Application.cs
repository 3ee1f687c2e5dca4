namespace RxNet.Twisted;

/// <summary>
/// The root of a service tree: Twisted's <c>service.Application(name)</c>. It is itself the
/// <see cref="MultiService"/> that Twisted reaches as <c>IServiceCollection(application)</c> and
/// <c>IService(application)</c>, so children join it with <c>service.SetServiceParent(application)</c>.
/// </summary>
/// <remarks>
/// Run it on a reactor with <see cref="ReactorLifecycleExtensions.StartApplication"/> (what <c>twistd</c> does:
/// started when the reactor runs, stopped before it shuts down, the shutdown waiting for the stop), or on the
/// Generic Host with RxNet.Hosting's <c>AddRxNetApplication</c>. Twisted's <c>uid</c>/<c>gid</c> and persistence
/// have no counterpart.
/// </remarks>
public sealed class Application : MultiService
{
    /// <summary>An application called <paramref name="name"/>.</summary>
    /// <param name="name">Its name, as in logs.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public Application(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }
}
