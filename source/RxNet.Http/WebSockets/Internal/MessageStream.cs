using System.Reactive.Disposables;

namespace RxNet.Http.WebSockets.Internal;

/// <summary><see cref="WebSocket.Messages"/>: one subscriber at a time, reading only while it asks to.</summary>
internal sealed class MessageStream : IPausableObservable<WebSocketMessage>
{
    private readonly WebSocket _socket;

    public MessageStream(WebSocket socket) => _socket = socket;

    public IDisposable Subscribe(IObserver<WebSocketMessage> observer) => Subscribe(observer, null);

    public IDisposable Subscribe(IObserver<WebSocketMessage> observer, IObservable<bool>? canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (!_socket.Attach(observer))
            return Disposable.Empty;
        bool? first = null;
        bool subscribing = true;
        var demand = canProduce?.Subscribe(on =>
        {
            if (subscribing)
                first = on;
            else
                _socket.SetDemand(observer, on);
        });
        subscribing = false;
        // A demand that has not said anything yet counts as "produce".
        _socket.SetDemand(observer, first ?? true);
        return Disposable.Create(() =>
        {
            demand?.Dispose();
            _socket.Detach(observer);
        });
    }
}
