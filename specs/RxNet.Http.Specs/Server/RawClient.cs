using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.Server;

/// <summary>One more raw client of a server already on a simulated network (next to others), keeping what it receives
/// as text and when: for specs with many connections to one server.</summary>
internal sealed class RawClient
{
    private readonly StringBuilder _received = new();

    public RawClient(SimulatedNetwork network, HttpServer server)
    {
        var scheduler = network.Scheduler;
        Connection = network.ConnectTo(c =>
        {
            AcceptedAt = scheduler.Clock;
            server.Serve(c);
        });
        Connection.Input.Subscribe(
            chunk =>
            {
                _received.Append(Encoding.Latin1.GetString(chunk.Span));
                LastReceivedAt = scheduler.Clock;
            },
            _ => EndedAt = scheduler.Clock,
            () => EndedAt = scheduler.Clock);
    }

    public IConnection Connection { get; }

    public string Received => _received.ToString();

    /// <summary>When the server accepted the connection.</summary>
    public long AcceptedAt { get; private set; }

    /// <summary>When the client last received bytes.</summary>
    public long LastReceivedAt { get; private set; }

    /// <summary>When the client's input ended, or null while it has not.</summary>
    public long? EndedAt { get; private set; }

    public void Send(string text) => Connection.Output.OnNext(Encoding.Latin1.GetBytes(text));

    /// <summary>Sends <paramref name="request"/>, runs <paramref name="scheduler"/> for <paramref name="ticks"/> and returns what arrived.</summary>
    public string Ask(TestScheduler scheduler, string request, long ticks)
    {
        Send(request);
        scheduler.AdvanceBy(ticks);
        return Received;
    }
}
