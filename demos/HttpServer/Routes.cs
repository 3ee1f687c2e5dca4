using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Text.Json;
using RxNet;
using RxNet.Http;

namespace HttpServerDemo;

/// <summary>The demo's routes as one Rx handler: GET /plaintext, GET /json, POST /echo, GET /ws (a WebSocket echo),
/// and for everything else <paramref name="files"/> (static files: a twisted.web <c>File</c> resource's site, with
/// ranges, conditional requests and listings). The WebSocket's timers run on <paramref name="scheduler"/>.</summary>
internal sealed class Routes(Func<HttpRequest, IObservable<HttpResponse>> files, IScheduler scheduler)
{
    private static readonly byte[] Plaintext = "Hello, World!"u8.ToArray();

    /// <summary>Answers one request.</summary>
    public IObservable<HttpResponse> Handle(HttpRequest request) => (request.Method, request.Path) switch
    {
        ("GET", "/plaintext") => Observable.Return(HttpResponse.Bytes(Plaintext, "text/plain")),
        ("GET", "/json") => Observable.Return(HttpResponse.Bytes(
            JsonSerializer.SerializeToUtf8Bytes(new Greeting("Hello, World!"), DemoJson.Default.Greeting), "application/json")),
        ("POST", "/echo") => Observable.Return(Echo(request)),
        ("GET", "/ws") => Observable.Return(request.AcceptWebSocket(Echo, scheduler)),
        (_, "/plaintext" or "/json" or "/echo" or "/ws") => Observable.Return(MethodNotAllowed(request.Path == "/echo" ? "POST" : "GET")),
        _ => files(request),
    };

    /// <summary>The request body streamed back as it arrives: each chunk read is written, nothing is held, so the
    /// route lifts the body limit for this request only (any length, sent chunked).</summary>
    public static HttpResponse Echo(HttpRequest request)
    {
        request.MaxBodySize = null;
        var response = new HttpResponse(200) { Body = request.Body };
        response.Headers.Set("Content-Type", request.Headers["Content-Type"] ?? "application/octet-stream");
        return response;
    }

    /// <summary>Every message sent back as it came, text as text and binary as binary. <c>WriteTo</c> pauses reading
    /// while the socket's output is above its high-water mark, so a client that sends without reading is held by
    /// TCP, not buffered; the client's close ends the echo.</summary>
    public static void Echo(WebSocket socket) => socket.Messages.WriteTo(socket.Send);

    /// <summary>405 with the one method the route takes.</summary>
    public static HttpResponse MethodNotAllowed(string allowed)
    {
        var response = HttpResponse.Status(405);
        response.Headers.Set("Allow", allowed);
        return response;
    }
}
