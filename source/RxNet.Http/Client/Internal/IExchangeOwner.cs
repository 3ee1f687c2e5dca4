namespace RxNet.Http.Client.Internal;

/// <summary>Who hears how an exchange ends before its response is out: the send operation of one subscription.</summary>
/// <remarks>Exactly one of the two is called, once, from the connection's serialized work.</remarks>
internal interface IExchangeOwner
{
    /// <summary>The response head arrived: the response (its body still on the connection).</summary>
    void Responded(HttpResponse response);

    /// <summary>The exchange failed before a response head arrived.</summary>
    /// <param name="error">Why.</param>
    /// <param name="stale">The connection had served an exchange before, and ended or failed before any byte of
    /// this response arrived: a pooled connection the server had closed, where an idempotent request may be retried.</param>
    void Failed(Exception error, bool stale);
}
