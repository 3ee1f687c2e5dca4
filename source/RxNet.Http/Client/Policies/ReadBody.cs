using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using RxNet.Http.Client.Policies.Internal;

namespace RxNet.Http;

/// <summary>
/// Reads a whole response body into memory: Twisted's <c>readBody</c>, as an observable and as a task.
/// </summary>
public static class HttpResponseBodyExtensions
{
    /// <summary>The whole body of <paramref name="response"/> as one array (Twisted's <c>readBody</c>).</summary>
    /// <param name="response">A response an agent received.</param>
    /// <param name="maxSize">The most bytes gathered; no limit when <see langword="null"/>. Bodies are streams, and
    /// this is the one place a whole one is held, so give a limit whenever the server is not yours.</param>
    /// <returns>A cold observable of one array (empty for a response without a body) then completion. Subscribing
    /// reads the body, which can be read once: a second subscription fails as the body does.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    /// <remarks>Past <paramref name="maxSize"/> the observable fails with an <see cref="HttpProtocolException"/> whose
    /// error is <see cref="HttpProtocolError.BodyTooLarge"/>, and the body's subscription is dropped, which closes its
    /// connection; when <see cref="HttpResponse.ContentLength"/> already says the body is longer, it fails at once
    /// without reading a byte (disposing the agent's subscription then closes the connection). An error of the body
    /// (a reset, a timeout, a broken chunk) passes through. Disposing the subscription before the end drops the body
    /// the same way.</remarks>
    public static IObservable<byte[]> ReadBody(this HttpResponse response, long? maxSize = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (maxSize is { } max)
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(maxSize));
        return Observable.Create<byte[]>(observer => new BodyCollector(observer, maxSize).Read(response));
    }

    /// <summary>The whole body of <paramref name="response"/> as one array, as a task (see <see cref="ReadBody"/>).</summary>
    /// <param name="response">A response an agent received.</param>
    /// <param name="maxSize">The most bytes gathered; no limit when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read: the body's subscription is dropped (its connection closes)
    /// and the task is cancelled.</param>
    /// <returns>The body.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    /// <remarks>The task fails with what <see cref="ReadBody"/> fails with.</remarks>
    public static Task<byte[]> ReadBodyAsync(this HttpResponse response, long? maxSize = null, CancellationToken cancellationToken = default) =>
        response.ReadBody(maxSize).ToTask(cancellationToken);
}
