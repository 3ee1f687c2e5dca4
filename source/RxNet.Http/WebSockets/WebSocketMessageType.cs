namespace RxNet.Http;

/// <summary>The two kinds of WebSocket data message (RFC 6455 §5.6).</summary>
public enum WebSocketMessageType
{
    /// <summary>UTF-8 text.</summary>
    Text,

    /// <summary>Bytes.</summary>
    Binary,
}
