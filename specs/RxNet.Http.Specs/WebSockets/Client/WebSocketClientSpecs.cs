using System.Reactive.Linq;
using RxNet.Http.Specs.Client;

namespace RxNet.Http.Specs.WebSockets.Client;

/// <summary>The client end (<c>ConnectWebSocket</c>) against this repo's server on a simulated network, in virtual
/// time: the handshake, messages both ways, and who closes TCP.</summary>
public sealed class WebSocketClientSpecs
{
    private const long Ms = AgentHarness.Ms;

    [Fact]
    public void ConnectWebSocket_ToTheServer_OpensAClientSocketThatExchangesMessages()
    {
        AgentHarness h = null!;
        h = new AgentHarness(request => Observable.Return(request.AcceptWebSocket(s => s.Messages.Subscribe(s.Send.OnNext), h.Scheduler)));
        using var _ = h;

        var run = new ClientRun(h.Agent.ConnectWebSocket(new Uri("ws://server/echo")), h.Scheduler);
        h.Run(10 * Ms);
        run.Read();
        run.SendText("hello");
        h.Run(10 * Ms);

        Assert.True(run.Completed, run.ToString());
        Assert.Equal(["hello"], run.Messages);
        Assert.Null(run.Socket!.Subprotocol);
    }
}
