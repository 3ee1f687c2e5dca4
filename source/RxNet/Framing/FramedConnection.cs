namespace RxNet;

/// <summary>A connection seen as frames both ways: decoded <see cref="Input"/>, encoded <see cref="Output"/>.</summary>
/// <typeparam name="T">The frame type.</typeparam>
public sealed class FramedConnection<T>
{
    internal FramedConnection(IConnection connection, IObservable<T> input, IFrameOutput<T> output)
    {
        Connection = connection;
        Input = input;
        Output = output;
    }

    /// <summary>The underlying connection: its <c>Closed</c>, endpoints and <c>Dispose</c>.</summary>
    public IConnection Connection { get; }

    /// <summary>Frames received: cold and unicast like the connection's input; fails with a
    /// <see cref="FramingException"/> on bytes that break the framing.</summary>
    public IObservable<T> Input { get; }

    /// <summary>Frames to send: each is encoded and written; <c>OnCompleted</c> half-closes, <c>OnError</c> aborts.
    /// Its <see cref="IFrameOutput{T}.Writable"/> and <see cref="IFrameOutput{T}.PendingBytes"/> are the connection's.</summary>
    public IFrameOutput<T> Output { get; }
}
