namespace RxNet;

/// <summary>How <see cref="IdleTimeoutExtensions.IdleTimeout(IConnection, IdleTimeoutOptions, System.Reactive.Concurrency.IScheduler)"/>
/// decides that a connection is idle, and how it closes one.</summary>
/// <remarks>Twisted's defaults: <c>TimeoutFactory</c> waits 30 minutes, and an HTTP channel that timed out
/// is aborted if it has not closed 15 seconds after <c>loseConnection</c> (<c>HTTPChannel.abortTimeout</c>).</remarks>
public sealed record IdleTimeoutOptions
{
    /// <summary>The defaults: idle after 30 minutes, aborted 15 seconds after the graceful close if still open.</summary>
    public static IdleTimeoutOptions Default { get; } = new();

    /// <summary>How long a connection may go without a byte in either direction; 30 minutes by default
    /// (Twisted's <c>TimeoutFactory</c>). Must be above zero.</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long the graceful close (flush what is queued, then FIN, as Twisted's <c>loseConnection</c>) may
    /// take before the connection is aborted; 15 seconds by default (Twisted's <c>HTTPChannel.abortTimeout</c>).
    /// <see cref="TimeSpan.Zero"/> aborts at once (a reset, unsent bytes dropped).
    /// </summary>
    /// <remarks>The connection is released only when the peer closes its side too; a peer that went quiet
    /// may never do so, so the abort is what finally frees it.</remarks>
    public TimeSpan AbortAfter { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Period"/> is not above zero, or
    /// <see cref="AbortAfter"/> is negative.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Period, TimeSpan.Zero, nameof(Period));
        ArgumentOutOfRangeException.ThrowIfLessThan(AbortAfter, TimeSpan.Zero, nameof(AbortAfter));
    }
}
