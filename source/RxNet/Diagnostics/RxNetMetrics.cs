namespace RxNet;

/// <summary>
/// The names under which RxNet's transports publish <see cref="System.Diagnostics.Metrics"/>
/// instruments, for <c>dotnet-counters monitor --counters RxNet</c>, OpenTelemetry's
/// <c>AddMeter("RxNet")</c> or a <c>MeterListener</c>.
/// </summary>
/// <remarks>Every instrument is created by the meter factory given in the transport's options (so a host's
/// <c>IMeterFactory</c> scopes them), or by one process-wide meter when none is given.</remarks>
public static class RxNetMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "RxNet";

    /// <summary>Counter of connections made, tagged <see cref="SideTag"/> (<c>server</c> for accepted, <c>client</c> for connected).</summary>
    public const string ConnectionsOpened = "rxnet.connections.opened";

    /// <summary>Up-down counter of connections open now, tagged <see cref="SideTag"/>.</summary>
    public const string ConnectionsActive = "rxnet.connections.active";

    /// <summary>Counter of connections closed, tagged <see cref="SideTag"/> and <see cref="ReasonTag"/> (a <see cref="ConnectionCloseReason"/>).</summary>
    public const string ConnectionsClosed = "rxnet.connections.closed";

    /// <summary>Counter of connections refused by a policy (a limit), tagged <see cref="ReasonTag"/>.</summary>
    public const string ConnectionsRefused = "rxnet.connections.refused";

    /// <summary>Counter of bytes handed to input subscribers.</summary>
    public const string BytesReceived = "rxnet.bytes.received";

    /// <summary>Counter of bytes sent.</summary>
    public const string BytesSent = "rxnet.bytes.sent";

    /// <summary>Counter of faults, tagged <see cref="ErrorTypeTag"/> (the exception's type name, or a socket error code).</summary>
    public const string Errors = "rxnet.errors";

    /// <summary>Counter of times an input stopped reading because its consumer could not keep up (back-pressure).</summary>
    public const string InputPauses = "rxnet.input.pauses";

    /// <summary>Counter of outputs aborted because a source that cannot pause pushed more than <c>WriteTo</c> may hold
    /// while the output was not writable (<see cref="OverflowPolicy.Fail"/>).</summary>
    public const string OutputOverflows = "rxnet.output.overflows";

    /// <summary>Counter of frames dropped by <c>WriteTo</c>'s overflow policy, tagged <see cref="OverflowTag"/>
    /// (<c>drop_newest</c>, <c>drop_oldest</c> or <c>keep_latest</c>).</summary>
    public const string OutputDropped = "rxnet.output.dropped";

    /// <summary>Up-down counter of an HTTP client's pooled connections open now, tagged <see cref="StateTag"/>
    /// (<c>idle</c> in the pool, or <c>in_use</c> by an exchange); their sum is the connections open.</summary>
    public const string HttpClientConnections = "rxnet.http.client.connections";

    /// <summary>Up-down counter of an HTTP client's requests waiting for a pooled connection.</summary>
    public const string HttpClientRequestsWaiting = "rxnet.http.client.requests.waiting";

    /// <summary>Tag: <c>server</c> or <c>client</c>.</summary>
    public const string SideTag = "rxnet.side";

    /// <summary>Tag: why a connection was closed or refused.</summary>
    public const string ReasonTag = "rxnet.reason";

    /// <summary>Tag: the overflow policy that dropped frames.</summary>
    public const string OverflowTag = "rxnet.overflow";

    /// <summary>Tag: the state of a pooled connection (<c>idle</c> or <c>in_use</c>).</summary>
    public const string StateTag = "rxnet.state";

    /// <summary>Tag: the kind of fault.</summary>
    public const string ErrorTypeTag = "error.type";
}
