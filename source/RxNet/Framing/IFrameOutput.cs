namespace RxNet;

/// <summary>
/// The sending side of a connection seen as frames: an observer of frames that encodes each one onto a connection's
/// <see cref="IConnectionOutput"/>, with that output's flow-control signals.
/// </summary>
/// <typeparam name="T">The frame type.</typeparam>
/// <remarks>
/// <para><b>OnNext</b> encodes the frame and writes its bytes as one write; the frame is not kept. An encoder that
/// throws (a line holding its delimiter, a frame above the format's limit) aborts the connection with its exception.
/// <b>OnCompleted</b> half-closes and <b>OnError</b> aborts, as on the byte output.</para>
/// <para><b>Flow control.</b> <see cref="Writable"/> and <see cref="PendingBytes"/> are those of the byte output
/// underneath, so a producer of frames honours the same water marks as one of bytes;
/// <see cref="ConnectionExtensions.WriteTo{T}(IObservable{T}, IFrameOutput{T}, WriteOptions)"/> honours them for you, and
/// bounds a source that cannot pause (drop or fail, as <see cref="WriteOptions.Overflow"/> says).</para>
/// <para>Calls may come from any thread, but not concurrently: the encoder's buffer is reused from one frame to the
/// next.</para>
/// </remarks>
public interface IFrameOutput<in T> : IObserver<T>
{
    /// <summary>
    /// The writability of the byte output underneath (see <see cref="IConnectionOutput.Writable"/>): an observable
    /// that replays the current state, then every change; <see langword="false"/> above its high-water mark,
    /// <see langword="true"/> again below its low-water mark.
    /// </summary>
    IObservable<bool> Writable { get; }

    /// <summary>Encoded bytes accepted by the byte output underneath and not yet sent
    /// (see <see cref="IConnectionOutput.PendingBytes"/>).</summary>
    long PendingBytes { get; }
}
