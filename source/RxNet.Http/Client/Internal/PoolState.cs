namespace RxNet.Http.Client.Internal;

/// <summary>The states of a pooled connection.</summary>
internal enum PoolState
{
    /// <summary>Serving an exchange.</summary>
    InUse,

    /// <summary>In the pool, waiting for the next request.</summary>
    Idle,

    /// <summary>Closed, or handed to an upgrade's caller: no longer counted.</summary>
    Gone,
}
