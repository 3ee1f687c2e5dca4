namespace RxNet.Http;

/// <summary>How a request's body is delimited (RFC 9112 §6.3).</summary>
internal enum BodyFraming
{
    /// <summary>No body: neither Content-Length nor Transfer-Encoding.</summary>
    None,

    /// <summary>Exactly <see cref="RequestHead.ContentLength"/> bytes follow the head.</summary>
    ContentLength,

    /// <summary>The chunked transfer coding, read with a <see cref="ChunkedBodyDecoder"/>.</summary>
    Chunked,

    /// <summary>A response read until the server closes the connection (RFC 9112 §6.3 rule 8).</summary>
    UntilClose,
}
