using System.Buffers;
using System.Reactive.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using RxNet.Http;

namespace RxNet.Benchmarks.Http;

/// <summary>
/// Bytes allocated per HTTP/1.1 plaintext request, in memory: the request's bytes delivered to an
/// <see cref="HttpServer"/> serving a <see cref="MemoryConnection"/>, parsed, handed to the handler, answered with
/// <c>Hello, World!</c> and serialized into the connection's output; and the request-head parser alone.
/// </summary>
/// <remarks>
/// <para>One operation is one request (<c>OperationsPerInvoke</c> for the pipelined batch), so
/// <c>Allocated</c> is bytes per request. No socket, thread hop or transport buffer is involved: the same
/// request bytes are delivered each time (a transport would carve them from its receive slab), the output keeps
/// nothing, and the scheduler's clock stands still (<see cref="InlineScheduler"/>), so what is counted is the
/// server's exchange: parsing, the <see cref="HttpRequest"/> and its headers, the handler's
/// <see cref="HttpResponse"/> and <c>Observable.Return</c>, and the serializer.</para>
/// <para>The setup checks that each request got its <c>200</c> with the body before anything is measured.</para>
/// </remarks>
[MemoryDiagnoser]
public class HttpPlaintextBenchmarks : IDisposable
{
    /// <summary>Requests per pipelined batch, as in the load driver's <c>pipelined</c> scenario.</summary>
    public const int Depth = 16;

    private static readonly byte[] Request = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"u8.ToArray();
    private static readonly byte[] Body = "Hello, World!"u8.ToArray();

    private readonly byte[] _batch = [.. Enumerable.Repeat(Request, Depth).SelectMany(r => r)];
    private readonly RequestHeadParser _parser = new(new HttpServerOptions());
    private MemoryConnection _connection = new();
    private MemoryConnection _reusing = new();
    private long _responseBytes;

    [GlobalSetup]
    public void Setup()
    {
        var server = new HttpServer(static _ => Observable.Return(HttpResponse.Bytes(Body, "text/plain")), InlineScheduler.Instance);
        _connection = new MemoryConnection();
        server.Serve(_connection);
        // The same server code with a handler that answers every request with one response made once: what is left is
        // the server's own share (head, request, exchange), without the handler's HttpResponse and Observable.Return.
        var made = Observable.Return(HttpResponse.Bytes(Body, "text/plain"));
        _reusing = new MemoryConnection();
        new HttpServer(_ => made, InlineScheduler.Instance).Serve(_reusing);
        _connection.Output.Capture = new MemoryStream();
        _connection.Input.Deliver(Request);
        var response = Encoding.ASCII.GetString(_connection.Output.Capture.ToArray());
        if (!response.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal) || !response.EndsWith("\r\n\r\nHello, World!", StringComparison.Ordinal))
            throw new InvalidOperationException($"The server did not answer the plaintext request as expected: '{response}'");
        _responseBytes = _connection.Output.Bytes;
        _connection.Output.Capture = null;
        Console.WriteLine($"// HttpPlaintext: {Request.Length} B request, {_responseBytes} B response (checked)");
    }

    [GlobalCleanup]
    public void Cleanup() =>
        Console.WriteLine($"// HttpPlaintext: {_connection.Output.Bytes / _responseBytes} responses written in {_connection.Output.Writes} writes; output ended: {_connection.Output.Ended}");

    public void Dispose()
    {
        _connection.Dispose();
        _reusing.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One request delivered, parsed, handled and answered.</summary>
    [Benchmark(Baseline = true)]
    public void Plaintext() => _connection.Input.Deliver(Request);

    /// <summary>16 pipelined requests delivered in one chunk, answered in order.</summary>
    [Benchmark(OperationsPerInvoke = Depth)]
    public void PlaintextPipelined() => _connection.Input.Deliver(_batch);

    /// <summary>One request answered with a response the handler made once (the server's own allocation).</summary>
    [Benchmark]
    public void PlaintextReusedResponse() => _reusing.Input.Deliver(Request);

    /// <summary>The request head parser alone, on the same request.</summary>
    [Benchmark]
    public bool ParseHead()
    {
        var buffer = new ReadOnlySequence<byte>(Request);
        return _parser.TryParse(buffer, out _, out _);
    }
}
