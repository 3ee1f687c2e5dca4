using System.Text;

namespace RxNet.Http;

/// <summary>One whole WebSocket data message, text or binary, however many frames carried it.</summary>
/// <param name="Type">Text (UTF-8) or binary.</param>
/// <param name="Data">The payload. A received message's data is its own buffer, yours to keep; a sent one is copied
/// before <c>OnNext</c> returns, so you may reuse your buffer at once.</param>
/// <remarks>Received text is valid UTF-8 (the decoder refuses anything else with close code 1007). Text you send is
/// sent as given: build it with <see cref="Text(string)"/>, which encodes a string as UTF-8. A socket with
/// <see cref="WebSocketOptions.StreamThreshold"/> delivers longer messages streamed: <see cref="Body"/> set,
/// <see cref="Data"/> empty.</remarks>
public readonly record struct WebSocketMessage(WebSocketMessageType Type, ReadOnlyMemory<byte> Data)
{
    /// <summary>Whether this is a text message.</summary>
    public bool IsText => Type == WebSocketMessageType.Text;

    /// <summary>A streamed message's payload, or null for a whole message (the default; see
    /// <see cref="WebSocketOptions.StreamThreshold"/>). Cold, unicast and pausable, as a connection's input: the socket
    /// reads the message's next bytes only while it is subscribed and wants more, so a subscriber that does not read
    /// pauses the whole socket (no other message, no pong, is read meanwhile). It completes at the message's end
    /// and fails with the socket's error if the socket ends first. Chunks are yours to keep; text arrives as UTF-8 bytes,
    /// already checked, cut anywhere. Subscribe it once (a second subscription fails with
    /// <see cref="InvalidOperationException"/>); disposing the subscription before the end drops the rest of the message.</summary>
    public IPausableObservable<ReadOnlyMemory<byte>>? Body { get; internal init; }

    /// <summary>Whether this message is streamed (<see cref="Body"/> is set).</summary>
    public bool IsStreamed => Body is not null;

    /// <summary>A text message holding <paramref name="text"/> in UTF-8.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static WebSocketMessage Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>A binary message holding <paramref name="data"/>.</summary>
    /// <param name="data">The bytes (not copied until the message is sent).</param>
    /// <returns>The message.</returns>
    public static WebSocketMessage Binary(ReadOnlyMemory<byte> data) => new(WebSocketMessageType.Binary, data);

    /// <summary>The payload decoded as UTF-8: the text of a text message.</summary>
    /// <returns>The text (for a binary message, its bytes read as UTF-8, invalid sequences replaced).</returns>
    public string GetText() => Encoding.UTF8.GetString(Data.Span);

    /// <summary>The type and the payload's length, or the text itself when short.</summary>
    /// <returns>A description for logs and assertions.</returns>
    public override string ToString() =>
        IsStreamed ? $"{Type} (streamed)"
        : IsText && Data.Length <= 64 ? $"Text \"{GetText()}\"" : $"{Type} ({Data.Length} bytes)";
}
