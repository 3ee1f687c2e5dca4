using System.Text;
using RxNet.Twisted;

namespace RxNet.Specs.Fakes;

/// <summary>A <see cref="Protocol"/> that writes every event to <see cref="Log"/> and can be given
/// behaviour per event.</summary>
public class RecordingProtocol : Protocol
{
    /// <summary>Events in order: <c>made</c>, <c>data:TEXT</c>, <c>lost:REASON</c> (and <c>made:end</c>).</summary>
    public List<string> Log { get; } = [];

    /// <summary>The transport as seen from inside <see cref="ConnectionMade"/>.</summary>
    public ITransport? TransportAtMade { get; private set; }

    /// <summary>Every reason passed to <see cref="ConnectionLost"/>.</summary>
    public List<ConnectionClosed> LostReasons { get; } = [];

    /// <summary>The value of <see cref="Protocol.Connected"/> during <see cref="ConnectionMade"/>.</summary>
    public bool ConnectedAtMade { get; private set; }

    public Action<RecordingProtocol>? OnMade { get; set; }

    public Action<RecordingProtocol, string>? OnData { get; set; }

    public Action<RecordingProtocol, ConnectionClosed>? OnLost { get; set; }

    public override void ConnectionMade()
    {
        Log.Add("made");
        TransportAtMade = Transport;
        ConnectedAtMade = Connected;
        OnMade?.Invoke(this);
        Log.Add("made:end");
    }

    public override void DataReceived(ReadOnlyMemory<byte> data)
    {
        string text = Encoding.UTF8.GetString(data.Span);
        Log.Add("data:" + text);
        OnData?.Invoke(this, text);
    }

    public override void ConnectionLost(ConnectionClosed reason)
    {
        Log.Add("lost:" + reason.Reason);
        LostReasons.Add(reason);
        OnLost?.Invoke(this, reason);
    }
}
