namespace RxNet.Http.Specs.WebSockets.Interop;

/// <summary>What every peer client prints against an echo server at <c>/echo</c> (which answers the text <c>ping</c>
/// with a ping <c>xyz</c> of its own, then the text <c>pong xyz</c> once the pong is back) and a server that says
/// <c>bye</c> and closes with 1001 at <c>/bye</c>, one line per step; the scripts in <c>Scripts/</c> and
/// <see cref="ClientWebSocketPeer"/> follow these steps.</summary>
internal static class InteropTranscript
{
    /// <summary>The binary sizes each peer sends and checks byte for byte: the three length forms at their edges, and
    /// 16 MiB (256 frames of 64 KiB when RxNet sends it).</summary>
    public static readonly int[] Sizes = [0, 125, 126, 65535, 65536, 16 * 1024 * 1024];

    /// <summary>The RxNet side's options: 17 MiB messages, subprotocol <c>chat</c>, and permessage-deflate with its
    /// defaults when <paramref name="deflate"/>.</summary>
    public static WebSocketOptions Options(bool deflate) => WebSocketOptions.Default with
    {
        MaxMessageSize = 17 * 1024 * 1024,
        Subprotocols = ["chat"],
        Compression = deflate ? WebSocketDeflateOptions.Default : null,
    };

    /// <summary>The transcript of a peer client against the RxNet server, its lines joined by <c>\n</c>.</summary>
    /// <param name="deflate">Whether permessage-deflate was negotiated.</param>
    /// <param name="pong">Whether the client sent a ping (<c>abc</c>) and printed the pong.</param>
    public static string Expected(bool deflate, bool pong) => string.Join('\n',
        [.. Messages(deflate, pong, serverPings: true), "closed 4000 []", "message bye", "server closed 1001 [bye now]"]);

    /// <summary>The lines of the steps before the close, as both directions print them.</summary>
    /// <param name="deflate">Whether permessage-deflate was negotiated.</param>
    /// <param name="pong">Whether the client sent a ping (<c>abc</c>) and printed the pong.</param>
    /// <param name="serverPings">Whether the server sent a ping (<c>xyz</c>) when asked and saw the pong.</param>
    public static IEnumerable<string> Messages(bool deflate, bool pong, bool serverPings) =>
        [
            "subprotocol chat",
            $"deflate {deflate}",
            "text True",
            "binary 0001ff",
            .. Sizes.Select(size => $"size {size} True"),
            "fragmented fragmented",
            .. pong ? ["pong abc"] : Array.Empty<string>(),
            .. serverPings ? ["server pong xyz"] : Array.Empty<string>(),
        ];

    /// <summary>The bytes 0, 1, ..., 250, 0, 1, ... (a period prime to every frame size) up to <paramref name="size"/>.</summary>
    public static byte[] Pattern(int size)
    {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++)
            data[i] = (byte)(i % 251);
        return data;
    }

    /// <summary>The text of a peer's output with <c>\n</c> line ends and no trailing blank.</summary>
    public static string Normalize(string output) => output.ReplaceLineEndings("\n").TrimEnd();
}
