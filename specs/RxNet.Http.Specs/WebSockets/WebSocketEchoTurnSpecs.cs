using RxNet.Transport;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>A message is delivered inside the turn of the connection's input that read its frame, so an echo written
/// from the <see cref="WebSocket.Messages"/> callback is an output written during that turn: a socket transport sends
/// it when the turn ends, on the same thread, with no scheduler or pool hop between reading a message and writing its
/// answer (a ping-pong's latency is made of such hops).</summary>
public sealed class WebSocketEchoTurnSpecs
{
    private const long Ms = SimulatedWebSocket.Ms;

    [Fact]
    public void Messages_DeliveredFromTheRead_RunInTheServerConnectionsInputTurn()
    {
        var owners = new List<object?>();
        SimulatedWebSocket? ws = null;
        ws = new SimulatedWebSocket(socket => socket.Messages.Subscribe(message =>
        {
            owners.Add(ConnectionTurn.Owner);
            socket.Send.OnNext(message);
        }));
        ws.Open();

        ws.Send(WireFrames.Concat(WireFrames.Frame(2, new byte[64]), WireFrames.Text("second")));
        ws.Run(10 * Ms);

        Assert.Equal(2, owners.Count);
        Assert.All(owners, owner => Assert.Same(ws.ServerSide, owner));
        Assert.Equal([$"Binary:{new string('0', 128)}", "Text:second"], ws.Frames());
    }
}
