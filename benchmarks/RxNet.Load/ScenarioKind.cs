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
}
