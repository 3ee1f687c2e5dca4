using System.Reactive.Linq;
using System.Text;
using RxNet.Framing.Internal;

namespace RxNet;

/// <summary>Codecs as Rx operators: bytes to frames (<c>Decode</c>, <c>Lines</c>), frames to bytes
/// (<c>Encode</c>), and both on one connection (<c>Framed</c>).</summary>
public static class FramingExtensions
{
    /// <summary>Decodes a byte stream into frames.</summary>
    /// <typeparam name="T">The frame type.</typeparam>
    /// <param name="source">The bytes, typically <c>connection.Input</c>.</param>
    /// <param name="codec">Makes one decoder per subscription.</param>
    /// <returns>The frames; the stream fails with a <see cref="FramingException"/> on corrupt input, and
    /// with <see cref="IncompleteFrameException"/> if it ends inside a frame the codec does not accept.</returns>
    public static IObservable<T> Decode<T>(this IObservable<ReadOnlyMemory<byte>> source, ICodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        return source.Decode(codec.CreateDecoder);
    }

    /// <summary>Decodes a byte stream into frames, with a new decoder from <paramref name="createDecoder"/> per subscription.</summary>
    /// <typeparam name="T">The frame type.</typeparam>
    /// <param name="source">The bytes, typically <c>connection.Input</c>.</param>
    /// <param name="createDecoder">Makes the decoder of one subscription.</param>
    /// <returns>The frames (see <see cref="Decode{T}(IObservable{ReadOnlyMemory{byte}}, ICodec{T})"/>).</returns>
    /// <remarks>A connection's input stays pausable through it: reading pauses while the decoded
    /// stream's subscriber is gone, and the connection's flow control works as without it.</remarks>
    public static IObservable<T> Decode<T>(this IObservable<ReadOnlyMemory<byte>> source, Func<IDecoder<T>> createDecoder)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(createDecoder);
        return Observable.Using(() => new FrameReader(source), reader => reader.Read(createDecoder()));
    }

    /// <summary>Encodes frames into an output: each frame becomes one write.</summary>
    /// <typeparam name="T">The frame type.</typeparam>
    /// <param name="output">Where the bytes go, typically <c>connection.Output</c>. It must copy what it is
    /// given before <c>OnNext</c> returns, as connection outputs do: the encoder's buffer is reused.</param>
    /// <param name="encoder">The encoder.</param>
    /// <returns>An observer of frames; <c>OnCompleted</c> and <c>OnError</c> pass through. An encoder that
    /// throws fails the output with its exception (a connection aborts).</returns>
    public static IObserver<T> Encode<T>(this IObserver<ReadOnlyMemory<byte>> output, IEncoder<T> encoder)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(encoder);
        return new EncodingObserver<T>(output, encoder, flow: null);
    }

    /// <summary>Encodes frames into a connection's output, keeping its flow control: each frame becomes one write.</summary>
    /// <typeparam name="T">The frame type.</typeparam>
    /// <param name="output">Where the bytes go, typically <c>connection.Output</c>.</param>
    /// <param name="encoder">The encoder.</param>
    /// <returns>An output of frames whose <see cref="IFrameOutput{T}.Writable"/> and
    /// <see cref="IFrameOutput{T}.PendingBytes"/> are <paramref name="output"/>'s; <c>OnCompleted</c> and
    /// <c>OnError</c> pass through. An encoder that throws fails the output with its exception (the connection
    /// aborts).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or <paramref name="encoder"/> is null.</exception>
    public static IFrameOutput<T> Encode<T>(this IConnectionOutput output, IEncoder<T> encoder)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(encoder);
        return new EncodingObserver<T>(output, encoder, flow: output);
    }

    /// <summary>The connection as frames both ways.</summary>
    /// <typeparam name="T">The frame type.</typeparam>
    /// <param name="connection">The connection.</param>
    /// <param name="codec">The codec of both directions.</param>
    /// <returns>The framed connection; its <see cref="FramedConnection{T}.Output"/> keeps the connection's flow control.</returns>
    public static FramedConnection<T> Framed<T>(this IConnection connection, ICodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(codec);
        return new FramedConnection<T>(connection, connection.Input.Decode(codec), connection.Output.Encode(codec.Encoder));
    }

    /// <summary>The lines of a byte stream as UTF-8 text, without their delimiters.</summary>
    /// <param name="source">The bytes, typically <c>connection.Input</c>.</param>
    /// <param name="options">Delimiter, maximum length and what to do at the limit; <see cref="LineOptions.Default"/> if null.</param>
    /// <returns>The lines. Invalid UTF-8 becomes U+FFFD.</returns>
    public static IObservable<string> Lines(this IObservable<ReadOnlyMemory<byte>> source, LineOptions? options = null) =>
        source.LineFrames(options).Select(static line => Encoding.UTF8.GetString(line.Span));

    /// <summary>The lines of a byte stream as bytes, without their delimiters: slices of the received
    /// chunks when a line lies in one chunk (nothing is copied), a new array when it spans several.</summary>
    /// <param name="source">The bytes, typically <c>connection.Input</c>.</param>
    /// <param name="options">Delimiter, maximum length and what to do at the limit; <see cref="LineOptions.Default"/> if null.</param>
    /// <returns>The lines.</returns>
    public static IObservable<ReadOnlyMemory<byte>> LineFrames(this IObservable<ReadOnlyMemory<byte>> source, LineOptions? options = null)
    {
        var codec = new LineCodec(options);
        return source.Decode(codec);
    }
}
