using RxNet.Http.Specs.Server;
using RxNet.Sockets;

namespace RxNet.Http.Specs.WebSockets.Interop;

/// <summary>The RxNet client (<c>agent.ConnectWebSocket</c>) against independent WebSocket servers over 127.0.0.1:
/// Debian's <c>python3-websockets</c>, Autobahn|Python on Twisted, node's <c>ws</c> and ASP.NET Core's WebSocket
/// middleware on Kestrel, through the steps of <see cref="InteropTranscript"/>: text, binary, 0 B to 16 MiB, a
/// fragmented message from the server, pings both ways, close codes both ways, permessage-deflate offered or not.</summary>
[Trait("Category", "Integration")]
[Collection(HttpInteropSpecs.Collection)]
public sealed class WebSocketClientInteropSpecs
{
    /// <summary>Every server (each accepts permessage-deflate), with the client's offer off and on.</summary>
    public static TheoryData<string, bool> Servers => new()
    {
        { "websockets", false }, { "websockets", true },
        { "autobahn", false }, { "autobahn", true },
        { "ws", false }, { "ws", true },
        { "Kestrel", false }, { "Kestrel", true },
    };

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Server_WithTheRxNetClient_ExchangesEveryKindOfMessageAndCloses(string server, bool deflate)
    {
        using var peer = await StartAsync(server, deflate: true);
        using var reactor = new SocketReactor();
        using var agent = new HttpAgent(reactor);

        var (transcript, echo, bye) = await RxNetInteropClient.RunAsync(agent, peer.Port, peer.Pings, deflate);

        Assert.Equal(string.Join('\n', [.. InteropTranscript.Messages(deflate, pong: true, serverPings: peer.Pings), "message bye"]), InteropTranscript.Normalize(transcript));
        Assert.Equal(new WebSocketClosed((WebSocketCloseCode)4000, "done", WebSocketClosedBy.Local, true), echo);
        Assert.Equal(new WebSocketClosed(WebSocketCloseCode.GoingAway, "bye now", WebSocketClosedBy.Peer, true), bye);
        // The client's close as the server read it, and the client's answer to the server's (its code, no reason).
        Assert.Equal(["closed 1001 []", "closed 4000 [done]"], (await peer.ClosedAsync(2)).Order(StringComparer.Ordinal));
    }

    private static async Task<IWebSocketPeerServer> StartAsync(string server, bool deflate)
    {
        string onOff = deflate ? "on" : "off";
        switch (server)
        {
            case "websockets":
                return await PeerServerProcess.StartAsync(await PeerRun.PythonWith("websockets", "python3-websockets"), "-u", InteropScripts.Path("websockets_server.py"), onOff);
            case "autobahn":
                return await PeerServerProcess.StartAsync(await PeerRun.PythonWith("autobahn.twisted.websocket", "python3-autobahn"), "-u", InteropScripts.Path("autobahn_server.py"), onOff);
            case "ws":
                var (node, module) = NodeWs.Require();
                return await PeerServerProcess.StartAsync(node, InteropScripts.Path("ws_server.cjs"), onOff, module);
            case "Kestrel":
                return await KestrelWebSocketServer.StartAsync(deflate);
            default:
                throw new ArgumentOutOfRangeException(nameof(server), server, "No such server.");
        }
    }
}
