using System.Globalization;
using System.Text;

namespace RxNet.Load;

/// <summary>The request bytes a connection of an HTTP scenario sends each round, how many responses they ask
/// for, and what each response must be.</summary>
/// <param name="Request">The bytes of one round: one request, or <see cref="Responses"/> pipelined ones.</param>
/// <param name="Responses">Responses per round.</param>
/// <param name="Expected">What each response must be.</param>
internal sealed record HttpExchange(ReadOnlyMemory<byte> Request, int Responses, HttpExpectation Expected)
{
    /// <summary>The body of GET /plaintext.</summary>
    public static readonly ReadOnlyMemory<byte> Plaintext = "Hello, World!"u8.ToArray();

    /// <summary>The body of GET /json.</summary>
    public static readonly ReadOnlyMemory<byte> Json = """{"message":"Hello, World!"}"""u8.ToArray();

    /// <summary>One GET /plaintext, as the idle scenario and the warm-ups send it.</summary>
    public static HttpExchange PlaintextGet(int port) => Get("/plaintext", port, 1, new(Plaintext, "text/plain"));

    /// <summary>The exchange of <paramref name="scenario"/> against a server on <paramref name="port"/>.</summary>
    public static HttpExchange For(Scenario scenario, int port) => scenario.Kind switch
    {
        ScenarioKind.Plaintext => PlaintextGet(port),
        ScenarioKind.Pipelined => Get("/plaintext", port, scenario.Size, new(Plaintext, "text/plain")),
        ScenarioKind.Json => Get("/json", port, 1, new(Json, "application/json")),
        ScenarioKind.Echo => Post(port, scenario.Size),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario.Kind, "not an HTTP load scenario"),
    };

    // The request wrk sends for a URL: the request line and Host, nothing else.
    private static HttpExchange Get(string path, int port, int depth, HttpExpectation expected)
    {
        var one = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
        var request = new byte[one.Length * depth];
        for (var i = 0; i < depth; i++)
            one.CopyTo(request, i * one.Length);
        return new HttpExchange(request, depth, expected);
    }

    // A body of pseudo-random bytes (fixed seed: the same in every run), so a lost, repeated or reordered byte shows.
    private static HttpExchange Post(int port, int size)
    {
        var body = new byte[size];
        new Random(size).NextBytes(body);
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"POST /echo HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/octet-stream\r\nContent-Length: {size}\r\n\r\n"));
        return new HttpExchange(head.Concat(body).ToArray(), 1, new(body, null));
    }
}
