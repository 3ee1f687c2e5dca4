namespace RxNet.Hosting;

/// <summary>Options of one server registered with
/// <see cref="RxNetServiceCollectionExtensions.AddRxNetServer(Microsoft.Extensions.DependencyInjection.IServiceCollection, string, Action{IConnection}, Action{RxNetServerOptions}?)"/>.</summary>
public sealed class RxNetServerOptions
{
    private TimeSpan _drainTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long open connections may take to finish when the host stops, before the rest are aborted.
    /// 30 s by default, as the host's own <c>HostOptions.ShutdownTimeout</c>; <see cref="TimeSpan.Zero"/> aborts
    /// at once. The host's shutdown timeout still applies: when it expires, the rest are aborted then.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative and not <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    public TimeSpan DrainTimeout
    {
        get => _drainTimeout;
        set
        {
            if (value != Timeout.InfiniteTimeSpan)
                ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _drainTimeout = value;
        }
    }

    /// <summary>A name for the server, to tell several apart; the endpoint description if <see langword="null"/>.</summary>
    public string? Name { get; set; }
}
