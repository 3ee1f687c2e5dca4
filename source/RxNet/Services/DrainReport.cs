using System.Net;

namespace RxNet;

/// <summary>What a graceful stop of a <see cref="ServerService"/> did: the single value of
/// <see cref="ServerService.Stop(TimeSpan)"/>.</summary>
/// <param name="Finished">Connections that were open when the stop began and closed by themselves before it ended.</param>
/// <param name="Aborted">The peers of the connections aborted (reset) because the drain ended before they closed;
/// an entry is <see langword="null"/> where the transport has no peer address.</param>
/// <param name="Outcome">Whether every connection finished, the deadline passed, or an abort was asked for.</param>
/// <param name="Elapsed">The scheduler's time from the stop to the end of the drain (virtual time on a <c>TestScheduler</c>).</param>
public sealed record DrainReport(int Finished, IReadOnlyList<EndPoint?> Aborted, DrainOutcome Outcome, TimeSpan Elapsed)
{
    /// <summary>Whether the deadline passed with connections still open.</summary>
    public bool DeadlineHit => Outcome == DrainOutcome.DeadlineHit;

    /// <summary>Whether no connection had to be aborted.</summary>
    public bool IsClean => Aborted.Count == 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Outcome} after {Elapsed}: {Finished} finished, {Aborted.Count} aborted{(Aborted.Count == 0 ? "" : " (" + string.Join(", ", Aborted) + ")")}";
}
