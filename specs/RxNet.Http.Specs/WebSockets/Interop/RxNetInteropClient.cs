using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using System.Threading.Channels;
using RxNet.Http.Specs.Server;

namespace RxNet.Http.Specs.WebSockets.Interop;

/// <summary>The RxNet client through the steps of <see cref="InteropTranscript"/> against an
/// <see cref="IWebSocketPeerServer"/>: prints the same lines as the peer clients up to the close, and gives the two
/// sockets' <see cref="WebSocket.Closed"/>.</summary>
internal static class RxNetInteropClient
{
    public static async Task<(string Transcript, WebSocketClosed Echo, WebSocketClosed Bye)> RunAsync(IHttpAgent agent, int port, bool serverPings, bool deflate)
    {
        var lines = new StringBuilder();
        var socket = await ConnectAsync(agent, port, "/echo", deflate);
        var inbox = Inbox(socket);
        var pongs = Channel.CreateUnbounded<ReadOnlyMemory<byte>>();
        socket.Pongs.Subscribe(pong => pongs.Writer.TryWrite(pong));
        lines.Append(CultureInfo.InvariantCulture, $"subprotocol {socket.Subprotocol}\n");
        lines.Append(CultureInfo.InvariantCulture, $"deflate {socket.Extensions.Contains("permessage-deflate", StringComparison.Ordinal)}\n");
        const string text = "h\u00e9llo \u2713";
        var message = await ExchangeAsync(socket, inbox, WebSocketMessage.Text(text));
        lines.Append(CultureInfo.InvariantCulture, $"text {message.IsText && message.GetText() == text}\n");
        message = await ExchangeAsync(socket, inbox, WebSocketMessage.Binary(new byte[] { 0, 1, 0xFF }));
        lines.Append(CultureInfo.InvariantCulture, $"binary {Convert.ToHexStringLower(message.Data.Span)}\n");
        foreach (int size in InteropTranscript.Sizes)
        {
            byte[] sent = InteropTranscript.Pattern(size);
            message = await ExchangeAsync(socket, inbox, WebSocketMessage.Binary(sent));
            lines.Append(CultureInfo.InvariantCulture, $"size {size} {!message.IsText && message.Data.Span.SequenceEqual(sent)}\n");
        }
        // The server sends this one back as three frames.
        message = await ExchangeAsync(socket, inbox, WebSocketMessage.Text("fragmented"));
        lines.Append(CultureInfo.InvariantCulture, $"fragmented {message.GetText()}\n");
        socket.Ping("abc"u8.ToArray());
        ReadOnlyMemory<byte> pong;
        do
            pong = await NextAsync(pongs.Reader);
        while (!pong.Span.SequenceEqual("abc"u8)); // not a keep-alive's
        lines.Append(CultureInfo.InvariantCulture, $"pong {Encoding.ASCII.GetString(pong.Span)}\n");
        if (serverPings)
            lines.Append(CultureInfo.InvariantCulture, $"server {(await ExchangeAsync(socket, inbox, WebSocketMessage.Text("ping"))).GetText()}\n");
        socket.Close((WebSocketCloseCode)4000, "done");
        var echo = await ClosedAsync(socket);

        var bye = await ConnectAsync(agent, port, "/bye", deflate);
        var byeInbox = Inbox(bye);
        lines.Append(CultureInfo.InvariantCulture, $"message {(await NextAsync(byeInbox)).GetText()}\n");
        return (lines.ToString(), echo, await ClosedAsync(bye));
    }

    private static Task<WebSocket> ConnectAsync(IHttpAgent agent, int port, string path, bool deflate) =>
        agent.ConnectWebSocket(new Uri($"ws://127.0.0.1:{port}{path}"), InteropTranscript.Options(deflate)).FirstAsync().ToTask()
            .WaitAsync(PeerRun.Bound, TestContext.Current.CancellationToken);

    private static ChannelReader<WebSocketMessage> Inbox(WebSocket socket)
    {
        var inbox = Channel.CreateUnbounded<WebSocketMessage>();
        socket.Messages.Subscribe(m => inbox.Writer.TryWrite(m), e => inbox.Writer.TryComplete(e), () => inbox.Writer.TryComplete());
        return inbox.Reader;
    }

    private static Task<WebSocketMessage> ExchangeAsync(WebSocket socket, ChannelReader<WebSocketMessage> inbox, WebSocketMessage message)
    {
        socket.Send.OnNext(message);
        return NextAsync(inbox);
    }

    private static Task<T> NextAsync<T>(ChannelReader<T> reader) =>
        reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(PeerRun.Bound, TestContext.Current.CancellationToken);

    private static Task<WebSocketClosed> ClosedAsync(WebSocket socket) =>
        socket.Closed.FirstAsync().ToTask().WaitAsync(PeerRun.Bound, TestContext.Current.CancellationToken);
}
