using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>The keep-alive ticks of every socket on one scheduler share one timer (an idle socket holds no scheduler
/// item of its own): each socket still pings at its own exact tick, and a socket that stopped reading does not.</summary>
public sealed class WebSocketKeepAliveWheelSpecs
{
    private const long Ms = SimulatedWebSocket.Ms;
    private const long Second = 1000 * Ms;

    [Fact]
    public void KeepAlive_SocketsOpenedAtDifferentTimes_EachPingsAtItsOwnTick()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var options = WebSocketOptions.Default with { KeepAliveInterval = TimeSpan.FromSeconds(20), KeepAliveTimeout = TimeSpan.FromSeconds(5) };
        var opened = new List<long>();
        var server = new HttpServer(request => Observable.Return(request.AcceptWebSocket(socket =>
        {
            opened.Add(scheduler.Clock);
            socket.Messages.Subscribe(_ => { }, _ => { });
        }, scheduler, options)), scheduler);
        var first = Open(network, server);
        scheduler.AdvanceTo(7 * Second);
        var second = Open(network, server);
        scheduler.AdvanceTo(7 * Second + 10 * Ms);
        Assert.Equal(2, opened.Count);

        scheduler.AdvanceTo(opened[0] + 20 * Second - 1);
        Assert.Equal(0, first.Pings);
        scheduler.AdvanceTo(opened[0] + 20 * Second + Ms);
        Assert.Equal(1, first.Pings);
        Assert.Equal(0, second.Pings);
        scheduler.AdvanceTo(opened[1] + 20 * Second - 1);
        Assert.Equal(0, second.Pings);
        scheduler.AdvanceTo(opened[1] + 20 * Second + Ms);
        Assert.Equal(1, second.Pings);
    }

    private static RawClient Open(SimulatedNetwork network, HttpServer server)
    {
        var client = new RawClient();
        var connection = network.ConnectTo(server.Serve);
        connection.Input.Subscribe(client.OnReceived);
        connection.Output.OnNext(Encoding.ASCII.GetBytes(SimulatedWebSocket.Request()));
        return client;
    }

    /// <summary>Counts the server's ping frames after the 101 head (a ping is two bytes here: 0x89 and its length 4).</summary>
    private sealed class RawClient
    {
        private readonly List<byte> _received = [];

        public int Pings
        {
            get
            {
                var bytes = _received.ToArray();
                int start = Encoding.Latin1.GetString(bytes).IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
                int pings = 0;
                for (int at = start; at + 1 < bytes.Length; at += 2 + (bytes[at + 1] & 0x7f))
                {
                    if (bytes[at] == 0x89)
                        pings++;
                }
                return pings;
            }
        }

        public void OnReceived(ReadOnlyMemory<byte> chunk) => _received.AddRange(chunk.ToArray());
    }
}
