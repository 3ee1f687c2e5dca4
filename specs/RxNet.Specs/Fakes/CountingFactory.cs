using System.Net;
using RxNet.Twisted;

namespace RxNet.Specs.Fakes;

/// <summary>A client factory that records every call, builds <see cref="RecordingProtocol"/>s (or
/// <see langword="null"/> when <see cref="Refuse"/> is set), and can be given behaviour per event.</summary>
public sealed class CountingFactory : ClientFactory
{
    /// <summary>Every call in order: <c>start</c>, <c>stop</c>, <c>build</c>, <c>connecting</c>,
    /// <c>failed</c>, <c>lost:REASON</c>, and the protocol's own <c>protocol:EVENT</c> entries.</summary>
    public List<string> Log { get; } = [];

    public int StartCount { get; private set; }

    public int StopCount { get; private set; }

    /// <summary>The protocols built, in order.</summary>
    public List<RecordingProtocol> Built { get; } = [];

    /// <summary>The addresses passed to <see cref="BuildProtocol"/>.</summary>
    public List<EndPoint?> BuildAddresses { get; } = [];

    /// <summary>The connector passed to each <see cref="StartedConnecting"/>.</summary>
    public List<IConnector> Connecting { get; } = [];

    /// <summary>Each <see cref="ClientConnectionFailed"/> call.</summary>
    public List<(IConnector Connector, Exception Reason)> Failed { get; } = [];

    /// <summary>Each <see cref="ClientConnectionLost"/> call.</summary>
    public List<(IConnector Connector, ConnectionClosed Reason)> Lost { get; } = [];

    public bool Refuse { get; set; }

    public Action? OnStart { get; set; }

    public Action<IConnector>? OnConnecting { get; set; }

    public Action<IConnector, Exception>? OnFailed { get; set; }

    public Action<IConnector, ConnectionClosed>? OnLost { get; set; }

    public override Protocol? BuildProtocol(EndPoint? address)
    {
        Log.Add("build");
        BuildAddresses.Add(address);
        if (Refuse)
            return null;
        var protocol = new RecordingProtocol { OnLost = (_, r) => Log.Add("protocol:lost:" + r.Reason) };
        Built.Add(protocol);
        return protocol;
    }

    public override void StartFactory()
    {
        Log.Add("start");
        StartCount++;
        OnStart?.Invoke();
    }

    public override void StopFactory()
    {
        Log.Add("stop");
        StopCount++;
    }

    public override void StartedConnecting(IConnector connector)
    {
        Log.Add("connecting");
        Connecting.Add(connector);
        OnConnecting?.Invoke(connector);
    }

    public override void ClientConnectionFailed(IConnector connector, Exception reason)
    {
        Log.Add("failed");
        Failed.Add((connector, reason));
        OnFailed?.Invoke(connector, reason);
    }

    public override void ClientConnectionLost(IConnector connector, ConnectionClosed reason)
    {
        Log.Add("lost:" + reason.Reason);
        Lost.Add((connector, reason));
        OnLost?.Invoke(connector, reason);
    }
}
