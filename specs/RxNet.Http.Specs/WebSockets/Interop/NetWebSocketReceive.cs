using System.Buffers;
using NetWebSocket = System.Net.WebSockets.WebSocket;
using NetWebSocketMessageType = System.Net.WebSockets.WebSocketMessageType;

namespace RxNet.Http.Specs.WebSockets.Interop;

/// <summary>One whole message from a <see cref="System.Net.WebSockets"/> socket, which hands out fragments.</summary>
internal static class NetWebSocketReceive
{
    /// <summary>The next message's type and bytes; <see cref="NetWebSocketMessageType.Close"/> with no bytes at the close.</summary>
    public static async Task<(NetWebSocketMessageType Type, byte[] Data)> ReceiveMessageAsync(this NetWebSocket socket, CancellationToken cancel)
    {
        var message = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await socket.ReceiveAsync(message.GetMemory(64 * 1024), cancel);
            message.Advance(result.Count);
            if (result.EndOfMessage || result.MessageType == NetWebSocketMessageType.Close)
                return (result.MessageType, message.WrittenSpan.ToArray());
        }
    }
}
