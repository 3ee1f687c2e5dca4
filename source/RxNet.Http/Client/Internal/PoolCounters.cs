using System.Diagnostics.Metrics;

namespace RxNet.Http.Client.Internal;

/// <summary>
/// An agent's pool figures, across its origins: as numbers a spec reads directly, and as the <c>RxNet</c> meter's
/// <see cref="RxNetMetrics.HttpClientConnections"/> (tagged <see cref="RxNetMetrics.StateTag"/> <c>idle</c> or
/// <c>in_use</c>) and <see cref="RxNetMetrics.HttpClientRequestsWaiting"/>.
/// </summary>
internal sealed class PoolCounters
{
    private static readonly Meter s_shared = new(RxNetMetrics.MeterName);
    private static readonly KeyValuePair<string, object?> s_idle = new(RxNetMetrics.StateTag, "idle");
    private static readonly KeyValuePair<string, object?> s_inUse = new(RxNetMetrics.StateTag, "in_use");

    private readonly UpDownCounter<long> _connections;
    private readonly UpDownCounter<long> _waiting;
    private int _idle;
    private int _inUse;
    private int _pending;
    private int _connecting;

    public PoolCounters(IMeterFactory? factory)
    {
        var meter = factory?.Create(RxNetMetrics.MeterName) ?? s_shared;
        _connections = meter.CreateUpDownCounter<long>(RxNetMetrics.HttpClientConnections, "{connection}", "HTTP client connections open, by state (idle in the pool, or in use).");
        _waiting = meter.CreateUpDownCounter<long>(RxNetMetrics.HttpClientRequestsWaiting, "{request}", "HTTP client requests waiting for a connection.");
    }

    /// <summary>Connections open: idle plus in use.</summary>
    public int Open => Volatile.Read(ref _idle) + Volatile.Read(ref _inUse);

    /// <summary>Connections idle in the pool.</summary>
    public int Idle => Volatile.Read(ref _idle);

    /// <summary>Connections serving an exchange.</summary>
    public int InUse => Volatile.Read(ref _inUse);

    /// <summary>Requests waiting for a connection.</summary>
    public int Waiting => Volatile.Read(ref _pending);

    /// <summary>Connections being made.</summary>
    public int Connecting => Volatile.Read(ref _connecting);

    public void AddIdle(int delta)
    {
        Interlocked.Add(ref _idle, delta);
        _connections.Add(delta, s_idle);
    }

    public void AddInUse(int delta)
    {
        Interlocked.Add(ref _inUse, delta);
        _connections.Add(delta, s_inUse);
    }

    public void AddWaiting(int delta)
    {
        Interlocked.Add(ref _pending, delta);
        _waiting.Add(delta);
    }

    public void AddConnecting(int delta) => Interlocked.Add(ref _connecting, delta);

    public override string ToString() => $"open {Open} (idle {Idle}, in use {InUse}), connecting {Connecting}, waiting {Waiting}";
}
