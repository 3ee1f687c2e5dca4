using RxNet.Http;

namespace RxNet.Load;

/// <summary>
/// One request through an <see cref="IHttpAgent"/>, awaited: the response, then its body copied into the caller's
/// buffer as it arrives; the task ends with the status, the media type and the body's length. Shared by the load
/// driver's <c>clients</c> command and the client allocation benchmark.
/// </summary>
/// <param name="buffer">Where the body goes; a longer body fails the task.</param>
internal sealed class AgentGet(byte[] buffer) : IObserver<HttpResponse>, IObserver<ReadOnlyMemory<byte>>
{
    // Continuations on the pool, as HttpClient's: the reactor's thread never runs the next request's caller.
    private readonly TaskCompletionSource<(int Status, string? MediaType, int Length)> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HttpResponse? _response;
    private int _length;

    /// <summary>Sends <paramref name="request"/> through <paramref name="agent"/> and reads the whole response.</summary>
    /// <returns>The status, the <c>Content-Type</c> and the body's length in the buffer.</returns>
    public Task<(int Status, string? MediaType, int Length)> RunAsync(IHttpAgent agent, HttpRequest request)
    {
        agent.Send(request).Subscribe(this);
        return _done.Task;
    }

    void IObserver<HttpResponse>.OnNext(HttpResponse value)
    {
        _response = value;
        if (value.Body is null)
            Finish();
        else
            value.Body.Subscribe(this);
    }

    void IObserver<HttpResponse>.OnError(Exception error) => _done.TrySetException(error);

    void IObserver<HttpResponse>.OnCompleted()
    {
        if (_response is null)
            _done.TrySetException(new InvalidDataException("the agent completed without a response"));
    }

    void IObserver<ReadOnlyMemory<byte>>.OnNext(ReadOnlyMemory<byte> value)
    {
        if (_length + value.Length > buffer.Length)
        {
            _done.TrySetException(new InvalidDataException("the body is longer than expected"));
            return;
        }
        value.Span.CopyTo(buffer.AsSpan(_length));
        _length += value.Length;
    }

    void IObserver<ReadOnlyMemory<byte>>.OnError(Exception error) => _done.TrySetException(error);

    void IObserver<ReadOnlyMemory<byte>>.OnCompleted() => Finish();

    private void Finish() => _done.TrySetResult((_response!.StatusCode, _response.Headers["Content-Type"], _length));
}
