namespace RxNet.Http.WebSockets.Internal;

/// <summary><see cref="WebSocket.Send"/>: messages in, frames out, with the connection's flow control.</summary>
internal sealed class MessageOutput : IFrameOutput<WebSocketMessage>
{
    private readonly WebSocket _socket;
    private readonly IConnectionOutput _output;

    public MessageOutput(WebSocket socket, IConnectionOutput output)
    {
        _socket = socket;
        _output = output;
    }

    public IObservable<bool> Writable => _output.Writable;

    public long PendingBytes => _output.PendingBytes;

    public void OnNext(WebSocketMessage value) => _socket.SendMessage(value);

    public void OnCompleted() => _socket.Close();

    public void OnError(Exception error) => _socket.Close(WebSocketCloseCode.InternalError);
}
