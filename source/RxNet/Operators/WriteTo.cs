namespace RxNet;

public static partial class ConnectionExtensions
{
    /// <summary>
    /// Pipes a connection's input into another connection's output, pausing the input while the output is not
    /// <see cref="IConnectionOutput.Writable"/>: the building block of proxies and tunnels.
    /// </summary>
    /// <param name="source">The bytes to send, typically another connection's <see cref="IConnection.Input"/>.</param>
    /// <param name="output">Where to send them.</param>
    /// <returns>The subscription; disposing it stops reading from <paramref name="source"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="output"/> is null.</exception>
    /// <remarks>
    /// <para>Completion of the source completes (half-closes) the output; an error aborts it.</para>
    /// <para>Reading stops above the output's high-water mark and resumes below its low-water mark, so a fast
    /// sender cannot make a slow receiver's queue grow.</para>
    /// </remarks>
    public static IDisposable WriteTo(this IConnectionInput source, IConnectionOutput output)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        return source.Subscribe(output, output.Writable);
    }

    /// <summary>
    /// Pipes a plain byte stream into a connection's output, holding what it pushes while the output is not
    /// <see cref="IConnectionOutput.Writable"/>, up to <see cref="DefaultMaxHeldInputBytes"/>.
    /// </summary>
    /// <param name="source">The bytes to send.</param>
    /// <param name="output">Where to send them.</param>
    /// <returns>The subscription; disposing it unsubscribes <paramref name="source"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="output"/> is null.</exception>
    /// <remarks>
    /// <para>Completion of the source completes (half-closes) the output; an error aborts it.</para>
    /// <para>A plain observable cannot pause, so it goes through
    /// <see cref="ToConnectionInput(IObservable{ReadOnlyMemory{byte}}, int)"/>: past the limit the output is aborted
    /// with an <see cref="InputOverflowException"/>. Call <c>ToConnectionInput(limit)</c> yourself for another limit;
    /// a connection's <see cref="IConnection.Input"/> takes the other overload and is paused instead.</para>
    /// </remarks>
    public static IDisposable WriteTo(this IObservable<ReadOnlyMemory<byte>> source, IConnectionOutput output)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        return source.ToConnectionInput().WriteTo(output);
    }
}
