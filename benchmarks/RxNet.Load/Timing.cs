namespace RxNet.Load;

/// <summary>How long a scenario warms up and measures, and the bound on everything else it waits for.</summary>
/// <param name="Warmup">Load before the measured window (JIT tiering, pools, caches).</param>
/// <param name="Duration">The measured window.</param>
internal sealed record Timing(TimeSpan Warmup, TimeSpan Duration)
{
    /// <summary>The longest any single step (a server start, connecting every connection, a worker's exit)
    /// may take before the scenario gives up on it.</summary>
    public static readonly TimeSpan StepBound = TimeSpan.FromSeconds(30);
}
