namespace RxNet;

/// <summary>How the drain of a <see cref="ServerService"/> ended.</summary>
public enum DrainOutcome
{
    /// <summary>Every open connection finished by itself before the deadline.</summary>
    Drained,

    /// <summary>The deadline passed and the connections still open were aborted.</summary>
    DeadlineHit,

    /// <summary>An abort was asked for (a second stop, <see cref="ServerService.Abort"/> or a cancelled stop)
    /// and the connections still open were aborted at once.</summary>
    AbortRequested,
}
