namespace RxNet.Testing;

/// <summary>What a pipeline produced from chunks fed by <see cref="Chunking.Decode{T}"/>.</summary>
/// <typeparam name="T">What the pipeline produces.</typeparam>
/// <param name="Frames">The values produced, in order.</param>
/// <param name="Error">The error the pipeline ended with, or <see langword="null"/>.</param>
/// <param name="Completed">Whether the pipeline completed (it did not, if it failed or is still waiting for bytes).</param>
/// <remarks>Deconstructs as <c>var (frames, error, completed) = Chunking.Decode(chunks, decode);</c>.</remarks>
public sealed record DecodedChunks<T>(IReadOnlyList<T> Frames, Exception? Error, bool Completed);
