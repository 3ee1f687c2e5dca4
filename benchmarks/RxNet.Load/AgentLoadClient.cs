using RxNet.Http;
using RxNet.Sockets;

namespace RxNet.Load;

/// <summary>RxNet's <see cref="HttpAgent"/> on a <see cref="SocketReactor"/>: at most <c>connections</c> keep-alive
/// connections (<see cref="HttpAgentOptions.MaxConnectionsPerOrigin"/>), each body subscribed as it comes and copied
/// into the caller's buffer.</summary>
internal sealed class AgentLoadClient : ILoadClient
{
    private readonly SocketReactor _reactor = new();
    private readonly HttpAgent _agent;
    private readonly string _url;

    public AgentLoadClient(int port, int connections)
    {
        _url = $"http://127.0.0.1:{port}/plaintext";
        _agent = new HttpAgent(_reactor, new HttpAgentOptions { MaxConnectionsPerOrigin = connections });
    }

    public string Name => "rxnet-agent";

    public Task<int> GetAsync(byte[] buffer, CancellationToken cancel)
    {
        var get = new Get(buffer);
        get.Subscription = _agent.Send(new HttpRequest("GET", _url)).Subscribe(get);
        return get.Task.WaitAsync(cancel);
    }

    public void Dispose()
    {
        _agent.Dispose();
        _reactor.Dispose();
    }

    /// <summary>One GET: the response, then its body, then the task's result.</summary>
    private sealed class Get(byte[] buffer) : IObserver<HttpResponse>, IObserver<ReadOnlyMemory<byte>>
    {
        // Continuations on the pool, as HttpClient's: the reactor's thread never runs the next request's caller.
        private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private HttpResponse? _response;
        private int _length;

        public IDisposable? Subscription { get; set; }

        public Task<int> Task => _done.Task;

        void IObserver<HttpResponse>.OnNext(HttpResponse value)
        {
            _response = value;
            value.Body?.Subscribe(this);
            if (value.Body is null)
                Finish();
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

        private void Finish()
        {
            try
            {
                PlaintextCheck.Verify(_response!.StatusCode, _response.Headers["Content-Type"], buffer.AsSpan(0, _length));
                _done.TrySetResult(_length);
            }
            catch (InvalidDataException e)
            {
                _done.TrySetException(e);
            }
        }
    }
}
