namespace RxNet;

public static partial class ConnectionExtensions
{
    /// <summary>
    /// Pipes a byte stream into a connection's output, pausing the source while the output is not
    /// <see cref="IConnectionOutput.Writable"/>: the building block of proxies and tunnels.
    /// </summary>
    /// <param name="source">The bytes to send, typically another connection's <see cref="IConnection.Input"/>.</param>
    /// <param name="output">Where to send them.</param>
    /// <returns>The subscription; disposing it stops reading from <paramref name="source"/>.</returns>
    /// <remarks>
    /// <para>Completion of the source completes (half-closes) the output; an error aborts it.</para>
    /// <para>Back-pressure reaches the source only when it is an <see cref="IPausableObservable{T}"/>, as every
    /// RxNet transport's input is: reading then stops above the output's high-water mark and resumes
    /// below its low-water mark, so a fast sender cannot make a slow receiver's queue grow. Any other
    /// source is subscribed as it is and cannot be paused.</para>
    /// </remarks>
    public static IDisposable WriteTo(this IObservable<ReadOnlyMemory<byte>> source, IConnectionOutput output)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        return source is IPausableObservable<ReadOnlyMemory<byte>> pausable
            ? pausable.Subscribe(output, output.Writable)
            : source.Subscribe(output);
    }
}
