namespace RxNet.Http.Specs.WebSockets.Interop;

/// <summary>An independent WebSocket server on 127.0.0.1 that the RxNet client talks to: <c>/echo</c> echoes every
/// message (subprotocol <c>chat</c>; the text <c>fragmented</c> goes back as three frames; where
/// <see cref="Pings"/>, the text <c>ping</c> is answered by a ping <c>xyz</c>, then the text <c>pong xyz</c> once the
/// pong is back); <c>/bye</c> sends <c>bye</c> and closes with 1001 <c>bye now</c>. Disposing it stops it.</summary>
internal interface IWebSocketPeerServer : IDisposable
{
    int Port { get; }

    /// <summary>Whether the server can send a ping of its own (ASP.NET Core's middleware cannot).</summary>
    bool Pings { get; }

    /// <summary>The first <paramref name="count"/> sockets' ends as the server saw them, <c>closed CODE [REASON]</c>
    /// with the code and reason the client sent, in the order they ended.</summary>
    Task<string[]> ClosedAsync(int count);
}
