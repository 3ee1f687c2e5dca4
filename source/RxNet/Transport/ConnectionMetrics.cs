using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace RxNet.Transport;

/// <summary>
/// The instruments of the <c>RxNet</c> meter (<see cref="RxNetMetrics"/>), for a transport to report its
/// connections the way every RxNet transport does: one set per meter factory, shared by every connection that
/// factory's transports make, so dashboards see sockets, TLS, the simulated network and your own transport alike.
/// </summary>
/// <remarks>Adding to an instrument nobody listens to costs a check. Thread-safe. Report each connection's
/// <see cref="Opened"/> once and its <see cref="Closed"/> once, with the same side.</remarks>
public sealed class ConnectionMetrics
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
    private readonly Counter<long> _overflows;
    private readonly Counter<long> _dropped;

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
        _overflows = meter.CreateCounter<long>(RxNetMetrics.OutputOverflows, "{output}", "Outputs aborted by a source that cannot pause.");
        _dropped = meter.CreateCounter<long>(RxNetMetrics.OutputDropped, "{frame}", "Frames dropped by an overflow policy.");
    }

    /// <summary>The instruments of <paramref name="factory"/>'s meter, or the process-wide ones.</summary>
    /// <param name="factory">The application's meter factory (from dependency injection), or <see langword="null"/>
    /// for the process-wide <c>RxNet</c> meter.</param>
    /// <returns>The instruments; the same object for the same factory.</returns>
    public static ConnectionMetrics For(IMeterFactory? factory) =>
        factory is null ? Shared.Value : ByFactory.GetValue(factory, static f => new ConnectionMetrics(f.Create(RxNetMetrics.MeterName)));

    /// <summary>A connection was made: counts it as opened and as active.</summary>
    /// <param name="server"><see langword="true"/> for an accepted connection, <see langword="false"/> for a connected one.</param>
    public void Opened(bool server)
    {
        var side = Side(server);
        _opened.Add(1, side);
        _active.Add(1, side);
    }

    /// <summary>A connection was released: no longer active, counted as closed with its reason (and its error's type).</summary>
    /// <param name="server">The side given to <see cref="Opened"/>.</param>
    /// <param name="reason">What <see cref="IConnection.Closed"/> reported.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    public void Closed(bool server, ConnectionClosed reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var side = Side(server);
        _active.Add(-1, side);
        _closed.Add(1, side, new KeyValuePair<string, object?>(RxNetMetrics.ReasonTag, reason.Reason.ToString()));
        if (reason.Error is { } error)
            Error(error.GetType().Name);
    }

    /// <summary>A policy refused a connection (a limit, say).</summary>
    /// <param name="reason">Why, as a short tag value such as <c>limit</c>.</param>
    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>(RxNetMetrics.ReasonTag, reason));

    /// <summary>Bytes were handed to an input's subscriber.</summary>
    /// <param name="bytes">How many.</param>
    public void Received(int bytes) => _received.Add(bytes);

    /// <summary>Bytes were sent.</summary>
    /// <param name="bytes">How many.</param>
    public void Sent(long bytes) => _sent.Add(bytes);

    /// <summary>A fault, counted by type.</summary>
    /// <param name="type">The type's name, such as the exception's.</param>
    public void Error(string type) => _errors.Add(1, new KeyValuePair<string, object?>(RxNetMetrics.ErrorTypeTag, type));

    /// <summary>An input paused because its consumer (or its connection's own output) asked it to.</summary>
    public void InputPaused() => _pauses.Add(1);

    /// <summary>WriteTo aborted an output that a source which cannot pause outran (recorded by the operators, not by
    /// transports).</summary>
    internal void OutputOverflowed() => _overflows.Add(1);

    /// <summary>WriteTo's overflow policy dropped <paramref name="count"/> frames.</summary>
    internal void FramesDropped(int count, OverflowPolicy policy) =>
        _dropped.Add(count, new KeyValuePair<string, object?>(RxNetMetrics.OverflowTag, policy switch
        {
            OverflowPolicy.DropNewest => "drop_newest",
            OverflowPolicy.DropOldest => "drop_oldest",
            _ => "keep_latest",
        }));

    private static KeyValuePair<string, object?> Side(bool server) =>
        new(RxNetMetrics.SideTag, server ? "server" : "client");
}
