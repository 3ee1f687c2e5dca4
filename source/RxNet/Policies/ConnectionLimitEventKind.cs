namespace RxNet;

/// <summary>What a <see cref="ConnectionLimiter"/> decided or saw.</summary>
public enum ConnectionLimitEventKind
{
    /// <summary>A connection was admitted; it counts until it closes.</summary>
    Admitted,

    /// <summary>A connection was refused: the limiter already held <see cref="ConnectionLimiter.MaxConnections"/>.</summary>
    RefusedTotal,

    /// <summary>A connection was refused: its peer already held <see cref="ConnectionLimiter.MaxConnectionsPerPeer"/>.</summary>
    RefusedPerPeer,

    /// <summary>An admitted connection closed and freed its slot.</summary>
    Released,
}
