using System.Buffers;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using RxNet.Http.WebSockets.Internal;

namespace RxNet.Http.WebSockets.Client.Internal;

/// <summary>
/// One subscription to <c>ConnectWebSocket</c>: sends the handshake through the agent, bounds it by the handshake
/// timeout, and ends with the open <see cref="WebSocket"/> or one error. Disposing it before then abandons the
/// handshake (the agent aborts the connection); after the socket is emitted it changes nothing (the socket is the
/// caller's).
/// </summary>
internal sealed class WebSocketConnect(IHttpAgent agent, ClientHandshake handshake, WebSocketOptions options,
    WebSocketClientOptions client, IObserver<WebSocket> observer) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SerialDisposable _send = new();
    private readonly SerialDisposable _body = new();
    private readonly SerialDisposable _timer = new();
    private bool _done;

    public void Start()
    {
        if (client.HandshakeTimeout != Timeout.InfiniteTimeSpan)
            _timer.Disposable = agent.Scheduler.Schedule(client.HandshakeTimeout, OnTimeout);
        _send.Disposable = agent.Send(handshake.CreateRequest()).Subscribe(OnResponse, Fail);
    }

    public void Dispose()
    {
        lock (_gate)
            _done = true;
        Stop();
    }

    private void OnResponse(HttpResponse response)
    {
        if (response.StatusCode != 101)
        {
            ReadRejection(response);
            return;
        }
        var connection = response.UpgradedConnection;
        if (connection is null)
        {
            Fail(new HttpProtocolException(HttpProtocolError.WebSocketHandshakeInvalid, 502, "The 101 answer came without its connection (an agent in between kept it)."));
            return;
        }
        (string? Subprotocol, string Extensions, WebSocketDeflate? Deflate) negotiated;
        try
        {
            negotiated = handshake.Check(response);
        }
        catch (HttpProtocolException e)
        {
            connection.Dispose(); // RFC 6455 §4.1: the client fails the WebSocket connection
            Fail(e);
            return;
        }
        lock (_gate)
        {
            if (_done)
            {
                connection.Dispose(); // given up on (timed out or disposed) just as the answer came
                return;
            }
            _done = true;
        }
        Stop();
        observer.OnNext(new WebSocket(connection, agent.Scheduler, options, WebSocketRole.Client, negotiated.Subprotocol, negotiated.Deflate));
        observer.OnCompleted();
    }

    /// <summary>Reads a refusal's body up to the bound (past it, leaves the rest: disposing the body closes the
    /// connection), then fails with the response carrying what was read.</summary>
    private void ReadRejection(HttpResponse response)
    {
        var read = new ArrayBufferWriter<byte>();
        int max = client.MaxRejectionBodySize;
        void Reject()
        {
            byte[] bytes = read.WrittenSpan.ToArray();
            response.Body = bytes.Length == 0 ? Observable.Empty<ReadOnlyMemory<byte>>() : new MemoryBody(bytes);
            response.ContentLength = bytes.Length;
            Fail(new WebSocketUpgradeRejectedException(response));
        }
        if (response.Body is not { } body)
        {
            Reject();
            return;
        }
        _body.Disposable = body.Subscribe(
            chunk =>
            {
                int take = Math.Min(chunk.Length, max - read.WrittenCount);
                read.Write(chunk.Span[..take]);
                if (take < chunk.Length)
                    Reject();
            },
            _ => Reject(),
            Reject);
    }

    private void OnTimeout() =>
        Fail(new TimeoutException($"The WebSocket opening handshake did not finish within {client.HandshakeTimeout}."));

    private void Fail(Exception error)
    {
        lock (_gate)
        {
            if (_done)
                return;
            _done = true;
        }
        Stop();
        observer.OnError(error);
    }

    private void Stop()
    {
        _timer.Dispose();
        _send.Dispose();
        _body.Dispose();
    }
}
