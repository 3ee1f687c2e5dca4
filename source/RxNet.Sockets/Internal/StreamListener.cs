using System.Net;
using System.Net.Sockets;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using RxNet.Transport;

namespace RxNet.Sockets.Internal;

/// <summary>The listening half every stream server endpoint shares (TCP, Unix): bind on subscribe,
/// accept until disposed, hand each accepted socket over as a connection.</summary>
internal sealed class StreamListener(string name, TcpOptions options, ILogger logger, ConnectionMetrics metrics)
{
    /// <summary>Listens on the socket <paramref name="bind"/> makes (bound and listening, or it throws).</summary>
    /// <param name="bind">Creates, binds and listens.</param>
    /// <param name="onListening">Told the bound address.</param>
    /// <param name="onStopped">Runs once the listening socket is closed (to remove a Unix socket file).</param>
    public IObservable<IConnection> Listen(Func<Socket> bind, Action<EndPoint>? onListening, Action? onStopped = null) =>
        Observable.Create<IConnection>(observer =>
        {
            Socket? listener = null;
            try
            {
                listener = bind();
                onListening?.Invoke(listener.LocalEndPoint!);
            }
            catch (Exception e)
            {
                if (listener is not null)
                {
                    // Bound, then the listening callback threw: release the port (and a Unix socket's file) now.
                    listener.Dispose();
                    onStopped?.Invoke();
                }
                observer.OnError(e is SocketException s ? new IOException($"Cannot listen on {name}: {s.Message} ({s.SocketErrorCode}).", s) : e);
                return Disposable.Empty;
            }
            Log.Listening(logger, listener.LocalEndPoint);
            var stop = new CancellationTokenSource();
            var gate = new Lock();
            _ = AcceptLoopAsync(listener, observer, gate, stop.Token);
            return Disposable.Create(() =>
            {
                lock (gate) // no connection is handed over once this returns
                    stop.Cancel();
                listener.Dispose();
                onStopped?.Invoke();
            });
        });

    private async Task AcceptLoopAsync(Socket listener, IObserver<IConnection> observer, Lock gate, CancellationToken stop)
    {
        var endPoint = listener.LocalEndPoint!;
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable
                                             or SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                // Out of descriptors or a peer gone before accept: keep serving everyone else,
                // and give the system a moment instead of spinning on the same error.
                Log.AcceptFailed(logger, endPoint, e.SocketErrorCode);
                metrics.Error(e.SocketErrorCode.ToString());
                if (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
                    await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
                continue;
            }
            catch (Exception e)
            {
                Log.AcceptStopped(logger, e, endPoint);
                observer.OnError(e);
                return;
            }
            var connection = StreamSockets.Wrap(socket, options, logger, metrics, accepted: true);
            lock (gate)
            {
                if (stop.IsCancellationRequested)
                {
                    connection.Dispose(); // accepted as the listener was disposed: nobody would own it
                    return;
                }
                try
                {
                    observer.OnNext(connection);
                }
                catch (Exception e)
                {
                    Log.SubscriberThrewOnAccept(logger, e, endPoint, connection);
                    connection.Fail(e);
                }
            }
        }
    }
}
