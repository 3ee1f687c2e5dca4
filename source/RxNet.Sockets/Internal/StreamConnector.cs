using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RxNet.Transport;

namespace RxNet.Sockets.Internal;

/// <summary>The connecting half every stream client endpoint shares (TCP, Unix): one attempt per
/// subscription; a connection made after the subscriber left is closed.</summary>
internal sealed class StreamConnector(object endpoint, TcpOptions options, ILogger logger, ConnectionMetrics metrics,
    Func<CancellationToken, Task<Socket>> connect) : IObservable<IConnection>
{
    private readonly object _endpoint = endpoint;
    private readonly TcpOptions _options = options;
    private readonly ILogger _logger = logger;
    private readonly ConnectionMetrics _metrics = metrics;
    private readonly Func<CancellationToken, Task<Socket>> _connect = connect;

    public IDisposable Subscribe(IObserver<IConnection> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var attempt = new Attempt(this, observer);
        attempt.Start();
        return attempt;
    }

    private sealed class Attempt(StreamConnector connector, IObserver<IConnection> observer) : IDisposable
    {
        private readonly CancellationTokenSource _cancel = new(); // no timer, so it needs no Dispose
        private int _state; // 0 running, 1 done, 2 disposed

        public void Start() => _ = RunAsync();

        public void Dispose()
        {
            if (Interlocked.CompareExchange(ref _state, 2, 0) == 0)
                _cancel.Cancel();
        }

        private async Task RunAsync()
        {
            Socket socket;
            try
            {
                socket = await connector._connect(_cancel.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
                    observer.OnError(e);
                return;
            }
            var connection = StreamSockets.Wrap(socket, connector._options, connector._logger, connector._metrics, accepted: false);
            if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            {
                connection.Dispose();
                return;
            }
            try
            {
                observer.OnNext(connection);
                observer.OnCompleted();
            }
            catch (Exception e)
            {
                // The subscriber threw while taking the connection: it owns nothing, so close it.
                Log.SubscriberThrewOnConnect(connector._logger, e, connector._endpoint, connection);
                connection.Fail(e);
            }
        }
    }
}
