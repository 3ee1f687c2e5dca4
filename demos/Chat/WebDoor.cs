using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxNet.Http;

namespace RxNet.Demos.Chat;

/// <summary>The chat's door for browsers: an HTTP server whose <c>/</c> is a small page (chat.html, plain HTML and
/// JavaScript) and whose <c>/ws</c> is the WebSocket that page opens; each socket joins the room as a connection of
/// lines (<see cref="WebSocketLines"/>).</summary>
internal static class WebDoor
{
    private static readonly byte[] Page = LoadPage();

    /// <summary>The WebSocket connections accepted on <paramref name="endpoint"/>: subscribing listens, disposing stops
    /// listening (open sockets stay in the room, which disconnects them when it ends).</summary>
    public static IObservable<IConnection> Listen(IServerEndpoint endpoint, IScheduler scheduler, Action<EndPoint>? onListening) =>
        Observable.Create<IConnection>(joined =>
        {
            var http = new HttpServer(request => Observable.Return(Answer(request, joined, scheduler)), scheduler);
            return endpoint.Listen(onListening).Subscribe(http.Serve, joined.OnError);
        });

    private static HttpResponse Answer(HttpRequest request, IObserver<IConnection> joined, IScheduler scheduler) => (request.Method, request.Path) switch
    {
        ("GET", "/") => HttpResponse.Bytes(Page, "text/html; charset=utf-8"),
        ("GET", "/ws") => request.AcceptWebSocket(socket => joined.OnNext(new WebSocketLines(socket, request.RemoteEndPoint)), scheduler),
        _ => HttpResponse.Text("Not found: the chat is at /.", statusCode: 404),
    };

    private static byte[] LoadPage()
    {
        using var stream = typeof(WebDoor).Assembly.GetManifestResourceStream("RxNet.Demos.Chat.chat.html")
            ?? throw new InvalidOperationException("chat.html is not embedded in the chat demo.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
