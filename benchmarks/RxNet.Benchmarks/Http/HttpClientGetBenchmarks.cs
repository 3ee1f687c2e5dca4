using System.Net;
using BenchmarkDotNet.Attributes;
using RxNet.Http;
using RxNet.Sockets;

namespace RxNet.Benchmarks.Http;

/// <summary>
/// Bytes allocated per HTTP/1.1 GET by a client: RxNet's <see cref="HttpAgent"/> against <see cref="HttpClient"/> with
/// its <see cref="SocketsHttpHandler"/> (the baseline), both over one keep-alive connection to the same in-process
/// <see cref="CannedHttpServer"/>, which allocates nothing per request.
/// </summary>
/// <remarks>
/// One operation is one GET: the request sent, the response head parsed, the body read into the caller's buffer and
/// checked (status and body). HttpClient reads with <c>ResponseHeadersRead</c> and a stream into the buffer, the least
/// it allocates; the agent's body is subscribed and its chunks copied into the buffer. <c>Allocated</c> counts the
/// whole process, so it is the client's (and the runtime's socket engine, the same for both). The means are loopback
/// round trips on a shared machine: compare only the ratio.
/// </remarks>
[MemoryDiagnoser]
public class HttpClientGetBenchmarks : IDisposable
{
    private readonly byte[] _buffer = new byte[64];
    private CannedHttpServer? _server;
    private HttpClient? _client;
    private SocketReactor? _reactor;
    private HttpAgent? _agent;
    private Uri _uri = new("http://127.0.0.1/");
    private string _url = "";

    [GlobalSetup]
    public void Setup()
    {
        _server = new CannedHttpServer();
        _url = $"http://127.0.0.1:{_server.Port}/plaintext";
        _uri = new Uri(_url);
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseCookies = false, UseProxy = false, AutomaticDecompression = DecompressionMethods.None });
        _reactor = new SocketReactor();
        _agent = new HttpAgent(_reactor, new HttpAgentOptions { MaxConnectionsPerOrigin = 1 });
        // Both must answer before anything is measured.
        if (SocketsHttpHandlerGet().GetAwaiter().GetResult() != CannedHttpServer.Body.Length || RxNetAgentGet().GetAwaiter().GetResult() != CannedHttpServer.Body.Length)
            throw new InvalidOperationException("A client did not read the canned response.");
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    public void Dispose()
    {
        _client?.Dispose();
        _agent?.Dispose();
        _reactor?.Dispose();
        _server?.Dispose();
        _client = null;
        _agent = null;
        _reactor = null;
        _server = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>One GET with <see cref="HttpClient"/> over <see cref="SocketsHttpHandler"/>.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> SocketsHttpHandlerGet()
    {
        using var response = await _client!.GetAsync(_uri, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        int length = 0;
        for (int read; (read = await body.ReadAsync(_buffer.AsMemory(length))) > 0;)
            length += read;
        return Check((int)response.StatusCode, length);
    }

    /// <summary>One GET with RxNet's <see cref="HttpAgent"/>.</summary>
    [Benchmark]
    public async Task<int> RxNetAgentGet()
    {
        var (status, _, length) = await new RxNet.Load.AgentGet(_buffer).RunAsync(_agent!, new HttpRequest("GET", _url));
        return Check(status, length);
    }

    private int Check(int status, int length) =>
        status == 200 && _buffer.AsSpan(0, length).SequenceEqual(CannedHttpServer.Body) ? length
        : throw new InvalidOperationException($"Unexpected response: {status}, {length} bytes.");
}
