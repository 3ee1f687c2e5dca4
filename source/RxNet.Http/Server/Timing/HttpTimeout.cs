namespace RxNet.Http.Server.Timing;

/// <summary>Which of a connection's timeouts expired (see <see cref="HttpConnectionClock"/>).</summary>
internal enum HttpTimeout
{
    /// <summary>No byte of a next request came within <see cref="HttpServerOptions.KeepAliveTimeout"/> of the previous
    /// exchange: close quietly, nothing was asked.</summary>
    KeepAlive,

    /// <summary>A request head did not end within <see cref="HttpServerOptions.RequestHeadersTimeout"/>: 408, then close.</summary>
    RequestHeaders,

    /// <summary>The client sent the request body slower than <see cref="HttpServerOptions.MinRequestBodyDataRate"/>
    /// while the server waited for it: 408 if no response has started, then close.</summary>
    RequestBodyTooSlow,

    /// <summary>The client read the response slower than <see cref="HttpServerOptions.MinResponseDataRate"/> while the
    /// server waited on it: abort (the response is already partly out).</summary>
    ResponseTooSlow,
}
