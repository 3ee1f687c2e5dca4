using System.Net;
using System.Reactive.Disposables;

namespace RxNet.Http.Client.Handler.Internal;

/// <summary>
/// One <c>SendAsync</c>: subscribes to the agent's response, completes the task with the response head (or the
/// mapped failure), and cancels on the caller's token until the head has arrived.
/// </summary>
/// <remarks>The task is completed on the thread that delivers the head, and its continuations run there (no
/// <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>): on a <c>TestScheduler</c> everything
/// <c>HttpClient</c> does next then happens inside the spec's <c>AdvanceBy</c>, in order, instead of racing it on the
/// thread pool. No lock is held while it is completed.</remarks>
internal sealed class HandlerExchange : IObserver<HttpResponse>, IDisposable
{
    private const int Waiting = 0;
    private const int Answered = 1;
    private const int Ended = 2;

    // The fields HttpClient keeps on HttpContent.Headers (and refuses on the response's own headers).
    private static readonly HashSet<string> ContentFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Allow", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length", "Content-Location",
        "Content-MD5", "Content-Range", "Content-Type", "Expires", "Last-Modified",
    };

    private readonly TaskCompletionSource<HttpResponseMessage> _head = new();
    private readonly SingleAssignmentDisposable _subscription = new();
    private readonly HttpRequestMessage _message;
    private readonly BlockingGuard _guard;
    private readonly CancellationToken _token;
    private CancellationTokenRegistration _registration;
    private int _state;

    private HandlerExchange(HttpRequestMessage message, BlockingGuard guard, CancellationToken token)
    {
        _message = message;
        _guard = guard;
        _token = token;
    }

    public static Task<HttpResponseMessage> Start(IHttpAgent agent, BlockingGuard guard, HttpRequestMessage message, HttpRequest request, CancellationToken token)
    {
        var exchange = new HandlerExchange(message, guard, token);
        exchange._registration = token.Register(static state => ((HandlerExchange)state!).Cancel(), exchange);
        try
        {
            exchange._subscription.Disposable = agent.Send(request).Subscribe(exchange);
        }
        catch (Exception e)
        {
            ((IObserver<HttpResponse>)exchange).OnError(e);
        }
        return exchange._head.Task;
    }

    void IObserver<HttpResponse>.OnNext(HttpResponse value)
    {
        if (Interlocked.CompareExchange(ref _state, Answered, Waiting) != Waiting)
        {
            value.UpgradedConnection?.Dispose();
            return;
        }
        _registration.Unregister();
        _head.TrySetResult(ToMessage(value));
    }

    void IObserver<HttpResponse>.OnError(Exception error)
    {
        if (Interlocked.CompareExchange(ref _state, Ended, Waiting) != Waiting)
            return;
        _registration.Unregister();
        _head.TrySetException(HandlerErrors.BeforeHead(error, _message.RequestUri!));
    }

    void IObserver<HttpResponse>.OnCompleted()
    {
        if (Interlocked.CompareExchange(ref _state, Ended, Waiting) != Waiting)
            return;
        _registration.Unregister();
        _head.TrySetException(new HttpRequestException(HttpRequestError.InvalidResponse, $"The agent answered the request to {_message.RequestUri} with no response."));
    }

    /// <summary>Abandons the exchange: the agent closes its connection unless the body has ended.</summary>
    public void Dispose() => _subscription.Dispose();

    private void Cancel()
    {
        if (Interlocked.CompareExchange(ref _state, Ended, Waiting) != Waiting)
            return;
        _subscription.Dispose();
        _head.TrySetCanceled(_token);
    }

    private HttpResponseMessage ToMessage(HttpResponse response)
    {
        var message = new HttpResponseMessage((HttpStatusCode)response.StatusCode)
        {
            Version = response.Version,
            RequestMessage = _message,
        };
        if (response.ReasonPhrase is not null)
            message.ReasonPhrase = response.ReasonPhrase;

        // HttpClient has no use for a connection handed over by an upgrade: it is closed, and the response has no body.
        response.UpgradedConnection?.Dispose();
        HttpContent content = response.Body is null || response.UpgradedConnection is not null
            ? new ByteArrayContent([])
            : new ResponseBodyContent(new ResponseBodyStream(response.Body, () => CopyTrailers(response, message), this), _guard);
        foreach (var (name, value) in response.Headers)
        {
            if (ContentFields.Contains(name))
                content.Headers.TryAddWithoutValidation(name, value);
            else
                message.Headers.TryAddWithoutValidation(name, value);
        }
        message.Content = content;
        return message;
    }

    private static void CopyTrailers(HttpResponse response, HttpResponseMessage message)
    {
        foreach (var (name, value) in response.Trailers)
            message.TrailingHeaders.TryAddWithoutValidation(name, value);
    }
}
