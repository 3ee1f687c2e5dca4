using System.Globalization;
using RxNet.Http.Specs.Server;

namespace RxNet.Http.Specs.WebSockets.Interop;

/// <summary>Independent WebSocket clients against the RxNet server over 127.0.0.1 (<see cref="RxNetInteropServer"/>):
/// Debian's <c>python3-websockets</c>, Autobahn|Python on Twisted, node's <c>ws</c> and .NET's
/// <see cref="System.Net.WebSockets.ClientWebSocket"/>, each through the steps of <see cref="InteropTranscript"/>:
/// text, binary, 0 B to 16 MiB, fragmented, ping/pong, close codes both ways, and permessage-deflate (each client
/// offers it; the server declines or accepts it).</summary>
[Trait("Category", "Integration")]
[Collection(HttpInteropSpecs.Collection)]
public sealed class WebSocketServerInteropSpecs
{
    /// <summary>Every client, with the server's permessage-deflate off (the client's offer declined) and on.</summary>
    public static TheoryData<string, bool> Clients => new()
    {
        { "websockets", false }, { "websockets", true },
        { "autobahn", false }, { "autobahn", true },
        { "ws", false }, { "ws", true },
        { "ClientWebSocket", false }, { "ClientWebSocket", true },
    };

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Client_AgainstTheServer_ExchangesEveryKindOfMessageAndCloses(string client, bool deflate)
    {
        using var server = await RxNetInteropServer.StartAsync(deflate);

        // Every client offers permessage-deflate; the server without it declines by not answering.
        string output = await RunAsync(client, server.Port, offerDeflate: true);

        Assert.Equal(InteropTranscript.Expected(deflate, pong: client != "ClientWebSocket"), InteropTranscript.Normalize(output));
        var closed = await server.ClosedAsync(2);
        Assert.Equal(new WebSocketClosed((WebSocketCloseCode)4000, "done", WebSocketClosedBy.Peer, true), closed[0]);
        Assert.Equal(new WebSocketClosed(WebSocketCloseCode.GoingAway, "bye now", WebSocketClosedBy.Local, true), closed[1]);
    }

    private static async Task<string> RunAsync(string client, int port, bool offerDeflate)
    {
        string portText = port.ToString(CultureInfo.InvariantCulture);
        string onOff = offerDeflate ? "on" : "off";
        var (code, output, error) = client switch
        {
            "websockets" => await PeerRun.RunAsync(await PeerRun.PythonWith("websockets", "python3-websockets"), InteropScripts.Path("websockets_client.py"), portText, onOff),
            "autobahn" => await PeerRun.RunAsync(await PeerRun.PythonWith("autobahn.twisted.websocket", "python3-autobahn"), InteropScripts.Path("autobahn_client.py"), portText, onOff),
            "ws" => await RunNodeAsync(portText, onOff),
            "ClientWebSocket" => (0, await ClientWebSocketPeer.RunAsync(port, offerDeflate), ""),
            _ => throw new ArgumentOutOfRangeException(nameof(client), client, "No such client."),
        };
        Assert.True(code == 0, $"{client} exited with {code}: {error}\n{output}");
        return output;
    }

    private static Task<(int ExitCode, string Output, string Error)> RunNodeAsync(string port, string deflate)
    {
        var (node, module) = NodeWs.Require();
        return PeerRun.RunAsync(node, InteropScripts.Path("ws_client.cjs"), port, deflate, module);
    }
}
