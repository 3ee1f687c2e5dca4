using System.Net;
using System.Reactive.Linq;
using System.Text;
using RxNet.Http;

namespace RxNet.Demos.Chat;

/// <summary>
/// A browser's WebSocket seen by the room as one more connection of lines: each message received is a line (a line
/// feed added), each line the room writes goes out as one text message (its line feed removed). The room, its names,
/// its limits and its <c>/quit</c> stay exactly what the <c>nc</c> users have.
/// </summary>
internal sealed class WebSocketLines : IConnection, IConnectionOutput
{
    private static readonly byte[] LineFeed = "\n"u8.ToArray();
    private readonly WebSocket _socket;
    private readonly List<byte> _partial = []; // a line written in pieces waits for its line feed

    public WebSocketLines(WebSocket socket, EndPoint? remote)
    {
        _socket = socket;
        RemoteEndPoint = remote;
        // Held while the room pauses its reading: bounded by ToConnectionInput's limit, as any plain source.
        Input = socket.Messages.Select(m => (ReadOnlyMemory<byte>)(byte[])[.. m.Data.Span, .. LineFeed]).ToConnectionInput();
        Closed = socket.Closed.Select(c => new ConnectionClosed(
            c.WasClean ? (c.ClosedBy == WebSocketClosedBy.Local ? ConnectionCloseReason.LocalClose : ConnectionCloseReason.PeerClose) : ConnectionCloseReason.Aborted));
    }

    public IConnectionInput Input { get; }

    public IConnectionOutput Output => this;

    public EndPoint? LocalEndPoint => null;

    public EndPoint? RemoteEndPoint { get; }

    public IObservable<ConnectionClosed> Closed { get; }

    public IObservable<bool> Writable => _socket.Send.Writable;

    public long PendingBytes => _socket.Send.PendingBytes;

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        var rest = value.Span;
        int end;
        while ((end = rest.IndexOf((byte)'\n')) >= 0)
        {
            _partial.AddRange(rest[..end]);
            _socket.Send.OnNext(WebSocketMessage.Text(Encoding.UTF8.GetString([.. _partial])));
            _partial.Clear();
            rest = rest[(end + 1)..];
        }
        _partial.AddRange(rest);
    }

    /// <summary>The room says goodbye: the close handshake, with the browser given the reactor's close timeout.</summary>
    public void OnCompleted() => _socket.Close();

    public void OnError(Exception error) => _socket.Dispose();

    public void Close() => _socket.Close();

    public void Dispose() => _socket.Dispose();
}
