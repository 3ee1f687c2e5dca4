namespace RxNet.Http;

/// <summary>How a message's body is delimited (RFC 9112 §6.3).</summary>
internal enum BodyFraming
{
    /// <summary>No body: a request without Content-Length or Transfer-Encoding, or a response that never has one
    /// (to HEAD, a 1xx, 204 or 304, a 2xx to CONNECT).</summary>
    None,

    /// <summary>Exactly the head's <c>ContentLength</c> bytes follow the head.</summary>
    ContentLength,

    /// <summary>The chunked transfer coding, read with a <see cref="ChunkedBodyDecoder"/>.</summary>
    Chunked,

    /// <summary>A response without either field: its body is every byte until the server closes the connection,
    /// which therefore cannot be reused.</summary>
    UntilClose,
}
