using System.Text;
using System.Text.RegularExpressions;
using RxNet.Http.Specs.Client;
using RxNet.Http.WebSockets.Internal;

namespace RxNet.Http.Specs.WebSockets.Client;

/// <summary>A raw server on the simulated host <c>server</c> for the client's specs: answers each handshake with the
/// exact text <c>answer</c> builds from the request head, then records the bytes the client sends after it.</summary>
internal static partial class RawWebSocketServer
{
    public static AgentHarness Start(Func<string, string> answer, HttpAgentOptions? options = null) =>
        new((connection, head) => AgentHarness.Write(connection, answer(head)), options);

    /// <summary>The <c>Sec-WebSocket-Key</c> of a request head.</summary>
    public static string Key(string head) => KeyField().Match(head).Groups[1].Value;

    /// <summary>A valid <c>101</c> for <paramref name="head"/>, with <paramref name="extraFields"/> (each ending in CRLF).</summary>
    public static string Accept(string head, string extraFields = "") =>
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Accept: {Handshake.Accept(Key(head))}\r\n{extraFields}\r\n";

    /// <summary>The first request head the server received.</summary>
    public static string Head(AgentHarness h)
    {
        string text = h.RawReceived.ToString();
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? text : text[..(end + 4)];
    }

    /// <summary>The frames the client sent after its request head, decoded as a server decodes them (so an unmasked
    /// frame is an error), as <see cref="WireFrames.Run"/> describes them.</summary>
    public static string Frames(AgentHarness h) =>
        WireFrames.Run([Encoding.Latin1.GetBytes(h.RawReceived.ToString()[Head(h).Length..])]);

    [GeneratedRegex("Sec-WebSocket-Key: ([^\r]*)\r\n")]
    private static partial Regex KeyField();
}
