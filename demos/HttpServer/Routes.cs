using System.Reactive.Linq;
using System.Text.Json;
using RxNet.Http;

namespace HttpServerDemo;

/// <summary>The demo's routes as one Rx handler: GET /plaintext, GET /json, POST /echo, and for everything else
/// <paramref name="files"/> (static files: a twisted.web <c>File</c> resource's site, with ranges, conditional
/// requests and listings).</summary>
internal sealed class Routes(Func<HttpRequest, IObservable<HttpResponse>> files)
{
    private static readonly byte[] Plaintext = "Hello, World!"u8.ToArray();

    /// <summary>Answers one request.</summary>
    public IObservable<HttpResponse> Handle(HttpRequest request) => (request.Method, request.Path) switch
    {
        ("GET", "/plaintext") => Observable.Return(HttpResponse.Bytes(Plaintext, "text/plain")),
        ("GET", "/json") => Observable.Return(HttpResponse.Bytes(
            JsonSerializer.SerializeToUtf8Bytes(new Greeting("Hello, World!"), DemoJson.Default.Greeting), "application/json")),
        ("POST", "/echo") => Observable.Return(Echo(request)),
        (_, "/plaintext" or "/json" or "/echo") => Observable.Return(MethodNotAllowed(request.Path == "/echo" ? "POST" : "GET")),
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

    /// <summary>405 with the one method the route takes.</summary>
    public static HttpResponse MethodNotAllowed(string allowed)
    {
        var response = HttpResponse.Status(405);
        response.Headers.Set("Allow", allowed);
        return response;
    }
}
