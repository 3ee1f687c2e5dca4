using System.Diagnostics.Metrics;

namespace RxNet.Testing;

/// <summary>
/// A meter factory whose meters carry it as their scope: give it to a transport (<c>TcpOptions.MeterFactory</c>,
/// <see cref="SimulatedNetwork.MeterFactory"/>) and listen to it alone (for example with
/// <c>new MetricCollector&lt;long&gt;(factory, RxNetMetrics.MeterName, RxNetMetrics.ConnectionsOpened)</c>), so
/// that connections of specs running at the same time do not count.
/// </summary>
public sealed class IsolatedMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    /// <inheritdoc/>
    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (_meters)
            _meters.Add(meter);
        return meter;
    }

    /// <summary>Disposes every meter it made.</summary>
    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters)
                meter.Dispose();
            _meters.Clear();
        }
    }
}
