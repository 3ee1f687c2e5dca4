using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.WebSockets.Client;

/// <summary>One <c>ConnectWebSocket</c> subscription as the caller saw it in virtual time: the socket or the error, when,
/// and (once <see cref="Read"/>) the messages and how the socket ended.</summary>
internal sealed class ClientRun
{
    private readonly TestScheduler _scheduler;

    public ClientRun(IObservable<WebSocket> connect, TestScheduler scheduler)
    {
        _scheduler = scheduler;
        Subscription = connect.Subscribe(
            socket =>
            {
                Socket = socket;
                OpenedAt = scheduler.Clock;
                socket.Closed.Subscribe(c =>
                {
                    Closed = c;
                    ClosedAt = scheduler.Clock;
                });
            },
            error =>
            {
                Error = error;
                FailedAt = scheduler.Clock;
            },
            () => Completed = true);
    }

    public IDisposable Subscription { get; }

    public WebSocket? Socket { get; private set; }

    public long? OpenedAt { get; private set; }

    public bool Completed { get; private set; }

    public Exception? Error { get; private set; }

    public long? FailedAt { get; private set; }

    public WebSocketClosed? Closed { get; private set; }

    public long? ClosedAt { get; private set; }

    public List<string> Messages { get; } = [];

    public Exception? MessagesError { get; private set; }

    public bool MessagesCompleted { get; private set; }

    /// <summary>Subscribes the socket's messages: text as text, binary as "bin:" and hex.</summary>
    public void Read() =>
        Socket!.Messages.Subscribe(
            m => Messages.Add(m.IsText ? m.GetText() : "bin:" + Convert.ToHexString(m.Data.Span)),
            e => MessagesError = e,
            () => MessagesCompleted = true);

    public void SendText(string text) => Socket!.Send.OnNext(WebSocketMessage.Text(text));

    /// <summary>The body of a refused upgrade, as the exception carries it.</summary>
    public string RejectionBody()
    {
        var response = Assert.IsType<WebSocketUpgradeRejectedException>(Error).Response;
        var text = new StringBuilder();
        response.Body!.Subscribe(chunk => text.Append(Encoding.Latin1.GetString(chunk.Span)));
        return text.ToString();
    }

    public override string ToString() => $"opened at {OpenedAt}, error {Error} at {FailedAt}, closed {Closed} at {ClosedAt}";

    public long Now => _scheduler.Clock;
}
