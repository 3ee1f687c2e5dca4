using System.Buffers;
using System.Net;
using System.Reactive.Linq;
using RxNet.Http;

namespace RxNet.Benchmarks.Http;

/// <summary>
/// Where the bytes of one plaintext request go (<c>--http-alloc [N]</c>): the same in-memory connection as
/// <see cref="HttpPlaintextBenchmarks"/>, then each piece of the exchange alone (the parser, the request, the
/// handler's response and its observable), each measured with the thread's allocation counter over N repetitions.
/// </summary>
internal static class HttpAllocationBreakdown
{
    private static readonly byte[] Request = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"u8.ToArray();
    private static readonly byte[] Body = "Hello, World!"u8.ToArray();

    public static int Run(int count)
    {
        var response = HttpResponse.Bytes(Body, "text/plain");
        var prebuilt = Observable.Return(response);
        Measure("whole exchange (handler: Observable.Return(HttpResponse.Bytes(...)))", count,
            Serve(static _ => Observable.Return(HttpResponse.Bytes(Body, "text/plain"))));
        Measure("whole exchange, the handler's response made once", count, Serve(_ => prebuilt));
        var parser = new RequestHeadParser(new HttpServerOptions());
        Measure("request head parser", count, () => _ = parser.TryParse(new ReadOnlySequence<byte>(Request), out _, out _));
        var headers = new HttpHeaders();
        Measure("new HttpRequest", count, () => _ = new HttpRequest("GET", "/plaintext", headers)
        {
            RemoteEndPoint = null, LocalEndPoint = null, MaxBodySize = 30_000_000, ContentLength = 0, Version = HttpVersion.Version11,
        });
        Measure("HttpResponse.Bytes", count, () => _ = HttpResponse.Bytes(Body, "text/plain"));
        Measure("Observable.Return", count, () => _ = Observable.Return(response));
        var observer = new NullObserver();
        Measure("Observable.Return(...).Subscribe", count, () => prebuilt.Subscribe(observer).Dispose());
        return 0;
    }

    private static Action Serve(Func<HttpRequest, IObservable<HttpResponse>> handler)
    {
        var server = new HttpServer(handler, InlineScheduler.Instance);
        var connection = new MemoryConnection();
        server.Serve(connection);
        return () => connection.Input.Deliver(Request);
    }

    private static void Measure(string what, int count, Action action)
    {
        for (int i = 0; i < 1000; i++)
            action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < count; i++)
            action();
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine($"{(double)bytes / count,8:F1} B  {what}");
    }

    private sealed class NullObserver : IObserver<HttpResponse>
    {
        public void OnNext(HttpResponse value) { }
        public void OnError(Exception error) { }
        public void OnCompleted() { }
    }
}
