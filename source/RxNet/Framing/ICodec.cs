namespace RxNet;

/// <summary>A decoder and an encoder of the same frames: what <see cref="FramingExtensions.Framed{T}(IConnection, ICodec{T})"/> takes.</summary>
/// <typeparam name="T">The frame type.</typeparam>
public interface ICodec<T>
{
    /// <summary>A new decoder for one stream (decoders may keep per-stream state).</summary>
    /// <returns>The decoder.</returns>
    IDecoder<T> CreateDecoder();

    /// <summary>The encoder (encoders keep no per-stream state, so it may be shared).</summary>
    IEncoder<T> Encoder { get; }
}
