namespace RxNet;

/// <summary>Where a reconnecting client stands: the <see cref="ReconnectState.Status"/> of each state change.</summary>
public enum ReconnectStatus
{
    /// <summary>A connect attempt is under way (the first one at subscription, then each retry).</summary>
    Connecting,

    /// <summary>A connection is up: <see cref="ReconnectState.Connection"/>. The schedule has been reset.</summary>
    Connected,

    /// <summary>The attempt failed (<see cref="ReconnectState.Error"/>) or the connection ended
    /// (<see cref="ReconnectState.Closed"/>); the next attempt comes after <see cref="ReconnectState.Delay"/>.</summary>
    WaitingToRetry,

    /// <summary>The retries are used up (<see cref="Backoff.MaxRetries"/>); nothing more will happen. The
    /// stream then fails with <see cref="ReconnectState.Error"/>, or completes if a connection was lost.</summary>
    GaveUp,
}
