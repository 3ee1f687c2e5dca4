namespace RxNet.Http.Client.Internal;

/// <summary>What a client connection tells its pool: its exchange ended, or it is gone.</summary>
/// <remarks>Called from the connection's serialized work; for each exchange exactly one of <see cref="Released"/>,
/// <see cref="Lost"/> or <see cref="Detached"/> ends the connection's busy state, and an idle one ends with
/// <see cref="Lost"/>.</remarks>
internal interface IConnectionOwner
{
    /// <summary>The exchange ended cleanly and the connection may serve the next one.</summary>
    void Released(ClientConnection connection);

    /// <summary>The connection closed (by either side, or on an error); it serves nothing more.</summary>
    void Lost(ClientConnection connection);

    /// <summary>The connection was handed to the caller of an upgrade (101, or 2xx to CONNECT).</summary>
    void Detached(ClientConnection connection);

    /// <summary>The connection's <see cref="HttpAgentOptions.PooledConnectionIdleTimeout"/> passed since its last
    /// exchange: whether it was still idle, and is now out of the pool (the connection then closes itself).</summary>
    bool IdleExpired(ClientConnection connection);
}
