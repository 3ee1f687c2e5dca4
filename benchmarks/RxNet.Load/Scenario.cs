using System.Globalization;
using System.Text.RegularExpressions;

namespace RxNet.Load;

/// <summary>One load scenario, named as the report names it: <c>pp64-c1</c> (ping-pong of 64-byte messages on
/// one connection), <c>pp4k-c64</c>, <c>stream64k-c8</c> (64 KiB chunks one way on 8 connections, echoed
/// back), <c>idle10k</c> (10 000 idle connections), <c>connect-c16</c> (16 clients connecting, echoing 64
/// bytes and closing in a loop); over HTTP/1.1 <c>plaintext-c64</c> (GET /plaintext on 64 keep-alive connections),
/// <c>pipelined-c256</c> (16 requests pipelined per connection), <c>json-c256</c>, <c>echo64k-c64</c> (POST /echo
/// with 64 KiB) and <c>http-idle10k</c> (10 000 connections idle after one request each).</summary>
/// <param name="Name">The name as given.</param>
/// <param name="Kind">What it does.</param>
/// <param name="Size">Bytes per message or chunk (64 for <c>connect</c>, 0 for <c>idle</c>).</param>
/// <param name="Connections">Connections (or concurrent clients for <c>connect</c>).</param>
internal sealed partial record Scenario(string Name, ScenarioKind Kind, int Size, int Connections)
{
    /// <summary>The standard matrix, in the order it runs.</summary>
    public const string Standard = "pp64-c1,pp64-c64,pp64-c1000,pp4k-c64,stream64k-c8,idle10k,connect-c16";

    /// <summary>The HTTP matrix (what <c>--scenarios http</c> stands for), in the order it runs.</summary>
    public const string HttpStandard = "plaintext-c64,plaintext-c256,pipelined-c256,json-c256,echo64k-c64,http-idle10k";

    // Requests in flight per connection in the pipelined scenario, as in TechEmpower's plaintext test.
    private const int PipelineDepth = 16;

    /// <summary>The WebSocket matrix (what <c>--scenarios ws</c> stands for), in the order it runs.</summary>
    public const string WsStandard = "ws-pp64-c64,ws-pp4k-c64,ws-stream64k-c8,ws-connect-c16,ws-idle10k";

    /// <summary>Whether it speaks HTTP (and needs an HTTP server) rather than echo.</summary>
    public bool IsHttp => Kind is >= ScenarioKind.Plaintext and <= ScenarioKind.HttpIdle;

    /// <summary>Whether it speaks WebSocket (and needs a WebSocket echo server on <c>/ws</c>).</summary>
    public bool IsWebSocket => Kind >= ScenarioKind.WsPingPong;

    /// <summary>The servers it needs: <c>echo</c>, <c>http</c> or <c>ws</c>.</summary>
    public string Family => IsWebSocket ? "ws" : IsHttp ? "http" : "echo";

    /// <summary>Parses a comma-separated list of names; <c>http</c> stands for <see cref="HttpStandard"/>.</summary>
    /// <exception cref="FormatException">One is not a scenario name.</exception>
    public static IReadOnlyList<Scenario> ParseList(string names) =>
        names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(n => n switch { "http" => HttpStandard.Split(','), "ws" => WsStandard.Split(','), _ => [n] })
            .Select(Parse).ToList();

    /// <summary>Parses a scenario's name.</summary>
    /// <exception cref="FormatException">Not a scenario name.</exception>
    public static Scenario Parse(string name)
    {
        if (name.StartsWith("ws-", StringComparison.Ordinal))
        {
            var echo = Parse(name[3..]);
            var kind = echo.Kind switch
            {
                ScenarioKind.PingPong => ScenarioKind.WsPingPong,
                ScenarioKind.Stream => ScenarioKind.WsStream,
                ScenarioKind.Idle => ScenarioKind.WsIdle,
                ScenarioKind.Connect => ScenarioKind.WsConnect,
                _ => throw new FormatException($"'{name}': over WebSocket the scenarios are ws-ppSIZE-cN, ws-streamSIZE-cN, ws-idleN and ws-connect-cN, e.g. {WsStandard} (or ws for all of these)."),
            };
            return echo with { Name = name, Kind = kind };
        }
        if (PingPong().Match(name) is { Success: true } pp)
            return new(name, ScenarioKind.PingPong, Bytes(pp.Groups["size"].Value), Count(pp.Groups["conns"].Value));
        if (Stream().Match(name) is { Success: true } stream)
            return new(name, ScenarioKind.Stream, Bytes(stream.Groups["size"].Value), Count(stream.Groups["conns"].Value));
        if (Idle().Match(name) is { Success: true } idle)
            return new(name, ScenarioKind.Idle, 0, Count(idle.Groups["conns"].Value));
        if (Connect().Match(name) is { Success: true } connect)
            return new(name, ScenarioKind.Connect, 64, Count(connect.Groups["conns"].Value));
        if (Http().Match(name) is { Success: true } http)
        {
            var (kind, size) = http.Groups["kind"].Value switch
            {
                "plaintext" => (ScenarioKind.Plaintext, 1),
                "pipelined" => (ScenarioKind.Pipelined, PipelineDepth),
                "json" => (ScenarioKind.Json, 1),
                _ => (ScenarioKind.Echo, Bytes(http.Groups["size"].Value)),
            };
            return new(name, kind, size, Count(http.Groups["conns"].Value));
        }
        if (HttpIdle().Match(name) is { Success: true } httpIdle)
            return new(name, ScenarioKind.HttpIdle, 0, Count(httpIdle.Groups["conns"].Value));
        throw new FormatException($"'{name}' is not a scenario: ppSIZE-cN, streamSIZE-cN, idleN or connect-cN (SIZE and N may end in k), e.g. {Standard}; " +
            $"over HTTP plaintext-cN, pipelined-cN, json-cN, echoSIZE-cN or http-idleN, e.g. {HttpStandard} (or http for all of these).");
    }

    // A size's k is 1024 bytes (4k: 4096), a count's is 1000 (idle10k: 10 000 connections).
    private static int Bytes(string text) => Number(text, 1024);

    private static int Count(string text) => Number(text, 1000);

    private static int Number(string text, int k) =>
        text.EndsWith('k') ? int.Parse(text[..^1], CultureInfo.InvariantCulture) * k : int.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^pp(?<size>\d+k?)-c(?<conns>\d+)$")]
    private static partial Regex PingPong();

    [GeneratedRegex(@"^stream(?<size>\d+k?)-c(?<conns>\d+)$")]
    private static partial Regex Stream();

    [GeneratedRegex(@"^idle(?<conns>\d+k?)$")]
    private static partial Regex Idle();

    [GeneratedRegex(@"^connect-c(?<conns>\d+)$")]
    private static partial Regex Connect();

    [GeneratedRegex(@"^(?<kind>plaintext|pipelined|json|echo(?<size>\d+k?))-c(?<conns>\d+)$")]
    private static partial Regex Http();

    [GeneratedRegex(@"^http-idle(?<conns>\d+k?)$")]
    private static partial Regex HttpIdle();
}
