using RxNet.Operators.Internal;

namespace RxNet;

public static partial class ConnectionExtensions
{
    /// <summary>What a frame counts towards <see cref="WriteOptions.MaxHeldFrames"/>.</summary>
    private static class One<T>
    {
        public static readonly Func<T, int> Weight = static _ => 1;
    }

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
    /// <see cref="IConnectionOutput.Writable"/>, up to 1 MiB, and aborting the output past that.
    /// </summary>
    /// <param name="source">The bytes to send.</param>
    /// <param name="output">Where to send them.</param>
    /// <returns>The subscription; disposing it unsubscribes <paramref name="source"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="output"/> is null.</exception>
    /// <remarks>The same as <see cref="WriteTo(IObservable{ReadOnlyMemory{byte}}, IConnectionOutput, WriteOptions)"/>
    /// with <see cref="WriteOptions.Default"/>.</remarks>
    public static IDisposable WriteTo(this IObservable<ReadOnlyMemory<byte>> source, IConnectionOutput output) =>
        source.WriteTo(output, WriteOptions.Default);

    /// <summary>
    /// Pipes a plain byte stream into a connection's output, holding what it pushes while the output is not
    /// <see cref="IConnectionOutput.Writable"/>, up to <see cref="WriteOptions.MaxHeldBytes"/>, and aborting the output
    /// past that.
    /// </summary>
    /// <param name="source">The bytes to send.</param>
    /// <param name="output">Where to send them.</param>
    /// <param name="options">The limit, and where an overflow is counted and logged.</param>
    /// <returns>The subscription; disposing it unsubscribes <paramref name="source"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><see cref="WriteOptions.Overflow"/> is not <see cref="OverflowPolicy.Fail"/>:
    /// a dropped chunk would corrupt the stream (write frames through <c>Framed</c> or <c>Encode</c> to drop whole
    /// frames).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive.</exception>
    /// <remarks>
    /// <para>Completion of the source completes (half-closes) the output; an error aborts it.</para>
    /// <para><b>Bounded.</b> A plain observable cannot pause, so it goes through
    /// <see cref="ToConnectionInput(IObservable{ReadOnlyMemory{byte}}, int)"/>: the output's own queue stays at its
    /// high-water mark (plus one chunk) and at most <see cref="WriteOptions.MaxHeldBytes"/> more are held. Past that
    /// the source is unsubscribed and the output aborted with an <see cref="InputOverflowException"/> naming the limit,
    /// counted in <see cref="RxNetMetrics.OutputOverflows"/> and logged once. A connection's
    /// <see cref="IConnection.Input"/> takes the other overload and is paused instead.</para>
    /// </remarks>
    public static IDisposable WriteTo(this IObservable<ReadOnlyMemory<byte>> source, IConnectionOutput output, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Overflow != OverflowPolicy.Fail)
            throw new ArgumentException($"Bytes cannot be dropped without corrupting the stream, so only {nameof(OverflowPolicy.Fail)} applies to them; write frames through Framed or Encode to drop whole frames.", nameof(options));
        var report = new OverflowReport(options, output);
        int limit = options.MaxHeldBytes;
        return HoldingSink<ReadOnlyMemory<byte>>.Subscribe(source, output, output.Writable, HeldInput.Length, limit, OverflowPolicy.Fail,
            held => report.Failed(new InputOverflowException(limit, held)));
    }

    /// <summary>
    /// Writes a source of frames that can pause into an output of frames, pausing it while the output is not
    /// <see cref="IFrameOutput{T}.Writable"/>.
    /// </summary>
    /// <typeparam name="T">The frame type.</typeparam>
    /// <param name="source">The frames to send.</param>
    /// <param name="output">Where to send them, for example <c>connection.Framed(codec).Output</c>.</param>
    /// <returns>The subscription; disposing it unsubscribes <paramref name="source"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="output"/> is null.</exception>
    /// <remarks>Completion of the source completes (half-closes) the output; an error aborts it.</remarks>
    public static IDisposable WriteTo<T>(this IPausableObservable<T> source, IFrameOutput<T> output)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        return source.Subscribe(output, output.Writable);
    }

    /// <summary>
    /// Writes a source of frames that cannot pause (a hot observable) into an output of frames, holding what it pushes
    /// while the output is not <see cref="IFrameOutput{T}.Writable"/>, up to 1024 frames, and aborting the output past
    /// that.
    /// </summary>
    /// <typeparam name="T">The frame type.</typeparam>
    /// <param name="source">The frames to send.</param>
    /// <param name="output">Where to send them, for example <c>connection.Framed(codec).Output</c>.</param>
    /// <returns>The subscription; disposing it unsubscribes <paramref name="source"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="output"/> is null.</exception>
    /// <remarks>The same as <see cref="WriteTo{T}(IObservable{T}, IFrameOutput{T}, WriteOptions)"/> with
    /// <see cref="WriteOptions.Default"/>.</remarks>
    public static IDisposable WriteTo<T>(this IObservable<T> source, IFrameOutput<T> output) =>
        source.WriteTo(output, WriteOptions.Default);

    /// <summary>
    /// Writes a source of frames that cannot pause (a hot observable) into an output of frames, holding what it pushes
    /// while the output is not <see cref="IFrameOutput{T}.Writable"/>, up to <see cref="WriteOptions.MaxHeldFrames"/>,
    /// and applying <see cref="WriteOptions.Overflow"/> past that.
    /// </summary>
    /// <typeparam name="T">The frame type.</typeparam>
    /// <param name="source">The frames to send, for example prices from <c>Observable.Interval</c>.</param>
    /// <param name="output">Where to send them, for example <c>connection.Framed(codec).Output</c>.</param>
    /// <param name="options">The limit, the overflow policy, and where overflows are counted and logged.</param>
    /// <returns>The subscription; disposing it unsubscribes <paramref name="source"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive or the policy is not defined.</exception>
    /// <remarks>
    /// <para>Completion of the source completes (half-closes) the output after the frames held; an error aborts it.</para>
    /// <para><b>Bounded.</b> While the output is writable, frames go straight through. While it is not, the output's
    /// queue stays at its high-water mark plus one frame, and frames are held, at most
    /// <see cref="WriteOptions.MaxHeldFrames"/>, then sent in order when it is writable again. A frame that does not
    /// fit: <see cref="OverflowPolicy.Fail"/> unsubscribes the source and aborts the output with an
    /// <see cref="InputOverflowException"/> (counted in <see cref="RxNetMetrics.OutputOverflows"/>);
    /// <see cref="OverflowPolicy.DropNewest"/> drops it, <see cref="OverflowPolicy.DropOldest"/> drops the oldest held,
    /// <see cref="OverflowPolicy.KeepLatest"/> holds it alone (counted in <see cref="RxNetMetrics.OutputDropped"/>).
    /// The first overflow of each call is logged to <see cref="WriteOptions.Logger"/>, or to the connection's own logger.</para>
    /// <para><b>Threading.</b> Frames go to the output on the thread that pushed them, or on the one on which the output
    /// became writable; never concurrently.</para>
    /// </remarks>
    public static IDisposable WriteTo<T>(this IObservable<T> source, IFrameOutput<T> output, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var report = new OverflowReport(options, output);
        int limit = options.Overflow == OverflowPolicy.KeepLatest ? 1 : options.MaxHeldFrames;
        return HoldingSink<T>.Subscribe(source, output, output.Writable, One<T>.Weight, limit, options.Overflow,
            held => report.Failed(new InputOverflowException(limit, held, "frames")), report.Dropped);
    }
}
