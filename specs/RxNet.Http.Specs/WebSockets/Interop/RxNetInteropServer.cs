using System.Net;
using System.Reactive.Linq;
using RxNet.Http.Specs.Server;
using RxNet.Sockets;

namespace RxNet.Http.Specs.WebSockets.Interop;

/// <summary>The RxNet WebSocket server the peer clients talk to, on 127.0.0.1 port 0: <c>/echo</c> echoes every
/// message (subprotocol <c>chat</c>) but the text <c>ping</c>, answered by a ping <c>xyz</c>, then the text
/// <c>pong xyz</c> once the pong is back; <c>/bye</c> sends <c>bye</c> and closes with 1001. Every socket's
/// <see cref="WebSocket.Closed"/> is kept.</summary>
internal sealed class RxNetInteropServer : IDisposable
{
    private readonly SocketReactor _reactor = new();
    private readonly Arrivals<WebSocketClosed> _closed = new();
    private IDisposable? _listening;

    private RxNetInteropServer()
    {
    }

    public int Port { get; private set; }

    /// <summary>Starts the server; <paramref name="deflate"/> lets it accept a permessage-deflate offer.</summary>
    public static async Task<RxNetInteropServer> StartAsync(bool deflate)
    {
        var options = InteropTranscript.Options(deflate);
        var server = new RxNetInteropServer();
        var scheduler = server._reactor.Scheduler;
        var http = new HttpServer(request => Observable.Return(request.AcceptWebSocket(socket => server.Open(request.Path, socket), scheduler, options)), scheduler);
        var bound = new TaskCompletionSource<EndPoint>();
        server._listening = http.Listen(server._reactor.ServerEndpoint("tcp:0:interface=127.0.0.1").Listen(bound.SetResult));
        server.Port = ((IPEndPoint)await bound.Task.WaitAsync(PeerRun.Bound, TestContext.Current.CancellationToken)).Port;
        return server;
    }

    /// <summary>The first <paramref name="count"/> sockets' ends, once that many sockets have ended.</summary>
    public Task<WebSocketClosed[]> ClosedAsync(int count) => _closed.FirstAsync(count);

    public void Dispose()
    {
        _listening?.Dispose();
        _reactor.Dispose();
    }

    private void Open(string path, WebSocket socket)
    {
        socket.Closed.Subscribe(_closed.Add);
        if (path == "/bye")
        {
            socket.Messages.Subscribe(_ => { }, _ => { });
            socket.Send.OnNext(WebSocketMessage.Text("bye"));
            socket.Close(WebSocketCloseCode.GoingAway, "bye now");
        }
        else
        {
            // Keep-alive pongs carry other payloads.
            socket.Pongs.Where(pong => pong.Span.SequenceEqual("xyz"u8)).Subscribe(_ => socket.Send.OnNext(WebSocketMessage.Text("pong xyz")));
            socket.Messages.Subscribe(message =>
            {
                if (message.IsText && message.Data.Span.SequenceEqual("ping"u8))
                    socket.Ping("xyz"u8.ToArray());
                else
                    socket.Send.OnNext(message);
            }, _ => { });
        }
    }
}
