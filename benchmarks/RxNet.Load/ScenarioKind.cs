namespace RxNet.Load;

/// <summary>What a <see cref="Scenario"/> does.</summary>
internal enum ScenarioKind
{
    /// <summary>Each connection sends a message and waits for its echo, in a loop.</summary>
    PingPong,

    /// <summary>Each connection sends chunks without waiting; the echoed bytes are counted.</summary>
    Stream,

    /// <summary>Connections opened and left idle; the server's memory per connection is measured.</summary>
    Idle,

    /// <summary>Clients connect, echo one message and close, in a loop.</summary>
    Connect,

    /// <summary>HTTP: GET /plaintext on keep-alive connections, one request in flight on each.</summary>
    Plaintext,

    /// <summary>HTTP: GET /plaintext, <see cref="Scenario.Size"/> requests pipelined on each connection.</summary>
    Pipelined,

    /// <summary>HTTP: GET /json, one request in flight on each connection.</summary>
    Json,

    /// <summary>HTTP: POST /echo with a body of <see cref="Scenario.Size"/> bytes, echoed back.</summary>
    Echo,

    /// <summary>HTTP: connections that each made one GET /plaintext, then left idle; the server's memory per
    /// connection is measured.</summary>
    HttpIdle,

    /// <summary>WebSocket: each socket sends a message (one masked binary frame) and waits for its echo, in a loop.</summary>
    WsPingPong,

    /// <summary>WebSocket: each socket sends messages without waiting; the echoes are checked and counted.</summary>
    WsStream,

    /// <summary>WebSocket: sockets opened (handshake and one echo) and left idle; the server's memory per socket.</summary>
    WsIdle,

    /// <summary>WebSocket: clients connect, open a socket, echo one message and close, in a loop.</summary>
    WsConnect,
}
