namespace RxNet.Http;

/// <summary>
/// Which side of an exchange sent the bytes being parsed. The rules of field lines, framing and chunks are the
/// same for both; what differs is the status an error carries (a server answers a bad request with 400, 413,
/// 431, 501 or 505; a client reports a bad response as 502, the upstream's answer is bad) and the names of the
/// limits its messages quote.
/// </summary>
internal enum HttpMessageKind
{
    /// <summary>A request, parsed by a server.</summary>
    Request,

    /// <summary>A response, parsed by a client.</summary>
    Response,
}
