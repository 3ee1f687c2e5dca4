namespace RxNet;

/// <summary>A byte stream as UTF-8 text (<c>Text</c>), next to <c>Lines</c> for text cut into lines.</summary>
public static class TextExtensions
{
    /// <summary>The UTF-8 text of a byte stream, as it arrives: a character split across chunks comes whole.</summary>
    /// <param name="source">The bytes, typically <c>connection.Input</c>.</param>
    /// <param name="throwOnInvalidBytes">Whether invalid UTF-8 fails the stream (with a
    /// <see cref="FramingException"/>, or <see cref="IncompleteFrameException"/> for a character cut off by
    /// the end) instead of becoming U+FFFD.</param>
    /// <returns>Pieces of text, one per chunk that completes a character; concatenated, they are the text of
    /// the whole stream, whatever its chunking.</returns>
    public static IObservable<string> Text(this IObservable<ReadOnlyMemory<byte>> source, bool throwOnInvalidBytes = false) =>
        source.Decode(new TextCodec(throwOnInvalidBytes));
}
