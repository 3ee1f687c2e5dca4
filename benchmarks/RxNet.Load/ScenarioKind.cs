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
}
