namespace RxNet.Http.Server.Compression;

/// <summary>A content coding the server can apply to a response body (RFC 9110 §8.4.1).</summary>
internal enum ContentCoding
{
    /// <summary>None: the body is sent as it is.</summary>
    Identity,

    /// <summary><c>gzip</c> (RFC 1952), through <see cref="System.IO.Compression.GZipStream"/>.</summary>
    Gzip,

    /// <summary><c>br</c> (RFC 7932), through <see cref="System.IO.Compression.BrotliStream"/>.</summary>
    Brotli,
}
