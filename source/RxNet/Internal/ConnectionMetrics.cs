using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace RxNet.Internal;

/// <summary>The instruments of <see cref="RxNetMetrics"/>, one set per meter factory, shared by every
/// connection that factory's transports make. Adding to an instrument nobody listens to costs a check.</summary>
internal sealed class ConnectionMetrics
{
    private static readonly ConditionalWeakTable<IMeterFactory, ConnectionMetrics> ByFactory = [];
    private static readonly Lazy<ConnectionMetrics> Shared = new(() => new ConnectionMetrics(new Meter(RxNetMetrics.MeterName)));

    private readonly Counter<long> _opened;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _pauses;

    private ConnectionMetrics(Meter meter)
    {
        _opened = meter.CreateCounter<long>(RxNetMetrics.ConnectionsOpened, "{connection}", "Connections made (accepted or connected).");
        _active = meter.CreateUpDownCounter<long>(RxNetMetrics.ConnectionsActive, "{connection}", "Connections open now.");
        _closed = meter.CreateCounter<long>(RxNetMetrics.ConnectionsClosed, "{connection}", "Connections closed, by reason.");
        _refused = meter.CreateCounter<long>(RxNetMetrics.ConnectionsRefused, "{connection}", "Connections refused by a policy.");
        _received = meter.CreateCounter<long>(RxNetMetrics.BytesReceived, "By", "Bytes handed to input subscribers.");
        _sent = meter.CreateCounter<long>(RxNetMetrics.BytesSent, "By", "Bytes sent.");
        _errors = meter.CreateCounter<long>(RxNetMetrics.Errors, "{error}", "Faults, by type.");
        _pauses = meter.CreateCounter<long>(RxNetMetrics.InputPauses, "{pause}", "Inputs paused by back-pressure.");
    }

    /// <summary>The instruments of <paramref name="factory"/>'s meter, or the process-wide ones.</summary>
    public static ConnectionMetrics For(IMeterFactory? factory) =>
        factory is null ? Shared.Value : ByFactory.GetValue(factory, static f => new ConnectionMetrics(f.Create(RxNetMetrics.MeterName)));

    public void Opened(bool server)
    {
        var side = Side(server);
        _opened.Add(1, side);
        _active.Add(1, side);
    }

    public void Closed(bool server, ConnectionClosed reason)
    {
        var side = Side(server);
        _active.Add(-1, side);
        _closed.Add(1, side, new KeyValuePair<string, object?>(RxNetMetrics.ReasonTag, reason.Reason.ToString()));
        if (reason.Error is { } error)
            Error(error.GetType().Name);
    }

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>(RxNetMetrics.ReasonTag, reason));

    public void Received(int bytes) => _received.Add(bytes);

    public void Sent(long bytes) => _sent.Add(bytes);

    public void Error(string type) => _errors.Add(1, new KeyValuePair<string, object?>(RxNetMetrics.ErrorTypeTag, type));

    public void InputPaused() => _pauses.Add(1);

    private static KeyValuePair<string, object?> Side(bool server) =>
        new(RxNetMetrics.SideTag, server ? "server" : "client");
}
