namespace RxNet.Http.Client.Internal;

/// <summary>The timeouts of one client connection (see <see cref="ClientConnectionClock"/>), in the order they are
/// reported when several expire at the same tick.</summary>
internal enum ClientTimeout
{
    /// <summary><see cref="HttpAgentOptions.ResponseHeadersTimeout"/>: from the request's send to its final head.</summary>
    ResponseHeaders,

    /// <summary><see cref="HttpAgentOptions.ResponseTimeout"/>: from the request's send to the body's end.</summary>
    Response,

    /// <summary><see cref="HttpAgentOptions.ExpectContinueTimeout"/>: how long a request body waits for a <c>100</c>.</summary>
    ExpectContinue,

    /// <summary><see cref="HttpAgentOptions.BodyIdleTimeout"/>: a body read with no byte arriving.</summary>
    BodyIdle,

    /// <summary><see cref="HttpAgentOptions.ResponseDrainTimeout"/>: a discarded body's drain.</summary>
    Drain,

    /// <summary><see cref="HttpAgentOptions.PooledConnectionIdleTimeout"/>: an idle connection in the pool.</summary>
    PoolIdle,
}
