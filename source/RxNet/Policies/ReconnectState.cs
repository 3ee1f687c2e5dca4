namespace RxNet;

/// <summary>One state change of a reconnecting client (<see cref="ReconnectExtensions.ReconnectStates"/>).</summary>
/// <param name="Status">The new state.</param>
/// <param name="Attempt">Retries since the last connection (or since subscribing): 0 for the first attempt;
/// for <see cref="ReconnectStatus.WaitingToRetry"/>, the number of the retry being waited for; for
/// <see cref="ReconnectStatus.GaveUp"/>, one more than <see cref="Backoff.MaxRetries"/>, as Twisted counts.</param>
public sealed record ReconnectState(ReconnectStatus Status, int Attempt)
{
    /// <summary>The connection, for <see cref="ReconnectStatus.Connected"/>.</summary>
    public IConnection? Connection { get; init; }

    /// <summary>How long until the next attempt, for <see cref="ReconnectStatus.WaitingToRetry"/>.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Why the last attempt failed, for <see cref="ReconnectStatus.WaitingToRetry"/> and
    /// <see cref="ReconnectStatus.GaveUp"/> after a failed attempt.</summary>
    public Exception? Error { get; init; }

    /// <summary>How the last connection ended, for <see cref="ReconnectStatus.WaitingToRetry"/> and
    /// <see cref="ReconnectStatus.GaveUp"/> after a lost connection.</summary>
    public ConnectionClosed? Closed { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Status switch
    {
        ReconnectStatus.Connecting => $"Connecting (attempt {Attempt})",
        ReconnectStatus.Connected => $"Connected to {Connection?.RemoteEndPoint} (attempt {Attempt})",
        ReconnectStatus.WaitingToRetry => $"Waiting {Delay} to retry (attempt {Attempt}) after {(object?)Error?.Message ?? Closed}",
        _ => $"Gave up after {Attempt - 1} retries: {(object?)Error?.Message ?? Closed}",
    };
}
