using System.Net;
using System.Reactive.Linq;
using RxNet.Sockets;

namespace RxNet.Http.Specs.WebSockets.Abuse;

/// <summary>An RxNet WebSocket echo server on a port of 127.0.0.1, counting its open connections and keeping a weak
/// reference to every socket it opened (a leaked socket stays alive after a full collection).</summary>
internal sealed class LoopbackWebSocketServer : IDisposable
{
    private readonly SocketReactor _reactor = new();
    private readonly Lock _gate = new();
    private readonly List<WeakReference<WebSocket>> _sockets = [];
    private IDisposable? _listening;
    private int _open;
    private TaskCompletionSource? _allClosed;

    public LoopbackWebSocketServer(Action<WebSocket>? onOpen = null, WebSocketOptions? options = null)
    {
        var http = new HttpServer(request => Observable.Return(request.AcceptWebSocket(socket =>
        {
            lock (_gate)
                _sockets.Add(new WeakReference<WebSocket>(socket));
            (onOpen ?? Echo)(socket);
        }, _reactor.Scheduler, options)), _reactor.Scheduler);
        var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        _listening = http.Listen(_reactor.ServerEndpoint("tcp:0:interface=127.0.0.1").Listen(bound.SetResult).Do(Track));
        EndPoint = (IPEndPoint)bound.Task.WaitAsync(Bounded.Long, TestContext.Current.CancellationToken).GetAwaiter().GetResult();
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>The server's connections not closed yet (the transport's <c>Closed</c>, after its socket is released).</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>How many of the sockets opened so far are still reachable (after <see cref="ProcessMemory.Settled"/>).</summary>
    public int SocketsAlive
    {
        get
        {
            lock (_gate)
                return _sockets.Count(w => w.TryGetTarget(out _));
        }
    }

    public int SocketsOpened
    {
        get
        {
            lock (_gate)
                return _sockets.Count;
        }
    }

    public static void Echo(WebSocket socket) => socket.Messages.Subscribe(socket.Send.OnNext, _ => { });

    /// <summary>Completes when no connection is open any more (at once if none is).</summary>
    public Task AllClosed()
    {
        lock (_gate)
        {
            if (_open == 0)
                return Task.CompletedTask;
            _allClosed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _allClosed.Task;
        }
    }

    public void Dispose()
    {
        _listening?.Dispose();
        _listening = null;
        _reactor.Dispose();
    }

    private void Track(IConnection connection)
    {
        lock (_gate)
            _open++;
        connection.Closed.Subscribe(_ =>
        {
            TaskCompletionSource? done = null;
            lock (_gate)
            {
                if (--_open == 0)
                {
                    done = _allClosed;
                    _allClosed = null;
                }
            }
            done?.TrySetResult();
        });
    }
}
