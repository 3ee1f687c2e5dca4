namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>IPushProducer</c>: a producer that writes whenever it has data, until it is paused; register it with
/// <c>RegisterProducer(producer, streaming: true)</c>.
/// </summary>
/// <remarks>
/// A transport pauses it when its output's <see cref="IConnectionOutput.Writable"/> turns <see langword="false"/>
/// (above the high-water mark) and resumes it when it turns <see langword="true"/> again (below the low-water mark),
/// so what it writes stays bounded by the water marks. A transport is one too: pausing it pauses reading the
/// connection's input, which is how a proxy holds one side while the other cannot keep up.
/// </remarks>
public interface IPushProducer : IProducer
{
    /// <summary>Stops writing until <see cref="ResumeProducing"/>; a write already under way may finish.</summary>
    void PauseProducing();

    /// <summary>Writes again after <see cref="PauseProducing"/>.</summary>
    void ResumeProducing();
}
