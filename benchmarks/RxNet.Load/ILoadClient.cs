namespace RxNet.Load;

/// <summary>An HTTP client under load: one <c>GET /plaintext</c> at a time per caller, its response checked.</summary>
internal interface ILoadClient : IDisposable
{
    /// <summary>The name in the report (<c>rxnet-agent</c>, <c>httpclient</c>).</summary>
    string Name { get; }

    /// <summary>Sends one <c>GET /plaintext</c> and reads its body into <paramref name="buffer"/>.</summary>
    /// <param name="buffer">The caller's buffer for the body (one per worker, reused).</param>
    /// <param name="cancel">Ends the wait when the window is over.</param>
    /// <returns>The body's length.</returns>
    /// <exception cref="InvalidDataException">The status was not 200, the media type not <c>text/plain</c>, or the body
    /// not <c>Hello, World!</c>.</exception>
    Task<int> GetAsync(byte[] buffer, CancellationToken cancel);
}
