using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using NetWebSocketMessageType = System.Net.WebSockets.WebSocketMessageType;

namespace RxNet.Http.Specs.WebSockets.Interop;

/// <summary><see cref="ClientWebSocket"/> (System.Net.WebSockets) as a client of the spec's server: the steps of the
/// peer scripts' transcript, in process. It has no API to send a ping, so its transcript has no <c>pong abc</c> line; it answers the server's.</summary>
internal static class ClientWebSocketPeer
{
    public static async Task<string> RunAsync(int port, bool deflate)
    {
        var cancel = TestContext.Current.CancellationToken;
        var lines = new StringBuilder();
        using (var ws = new ClientWebSocket())
        {
            ws.Options.AddSubProtocol("chat");
            ws.Options.CollectHttpResponseDetails = true;
            if (deflate)
                ws.Options.DangerousDeflateOptions = new System.Net.WebSockets.WebSocketDeflateOptions();
            await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/echo"), cancel);
            lines.Append(CultureInfo.InvariantCulture, $"subprotocol {ws.SubProtocol}\n");
            bool deflated = ws.HttpResponseHeaders!.TryGetValue("Sec-WebSocket-Extensions", out var extensions)
                && extensions.Any(e => e.Contains("permessage-deflate", StringComparison.Ordinal));
            lines.Append(CultureInfo.InvariantCulture, $"deflate {deflated}\n");
            const string text = "h\u00e9llo \u2713";
            await ws.SendAsync(Encoding.UTF8.GetBytes(text), NetWebSocketMessageType.Text, true, cancel);
            var (type, data) = await ws.ReceiveMessageAsync(cancel);
            lines.Append(CultureInfo.InvariantCulture, $"text {type == NetWebSocketMessageType.Text && Encoding.UTF8.GetString(data) == text}\n");
            await ws.SendAsync(new byte[] { 0, 1, 0xFF }, NetWebSocketMessageType.Binary, true, cancel);
            (_, data) = await ws.ReceiveMessageAsync(cancel);
            lines.Append(CultureInfo.InvariantCulture, $"binary {Convert.ToHexStringLower(data)}\n");
            foreach (int size in InteropTranscript.Sizes)
            {
                byte[] sent = InteropTranscript.Pattern(size);
                await ws.SendAsync(sent, NetWebSocketMessageType.Binary, true, cancel);
                (type, data) = await ws.ReceiveMessageAsync(cancel);
                lines.Append(CultureInfo.InvariantCulture, $"size {size} {type == NetWebSocketMessageType.Binary && data.AsSpan().SequenceEqual(sent)}\n");
            }
            foreach (string part in (string[])["frag", "ment", "ed"])
                await ws.SendAsync(Encoding.UTF8.GetBytes(part), NetWebSocketMessageType.Text, part == "ed", cancel);
            (_, data) = await ws.ReceiveMessageAsync(cancel);
            lines.Append(CultureInfo.InvariantCulture, $"fragmented {Encoding.UTF8.GetString(data)}\n");
            await ws.SendAsync("ping"u8.ToArray(), NetWebSocketMessageType.Text, true, cancel);
            (_, data) = await ws.ReceiveMessageAsync(cancel);
            lines.Append(CultureInfo.InvariantCulture, $"server {Encoding.UTF8.GetString(data)}\n");
            await ws.CloseAsync((WebSocketCloseStatus)4000, "done", cancel);
            lines.Append(CultureInfo.InvariantCulture, $"closed {(int?)ws.CloseStatus} [{ws.CloseStatusDescription}]\n");
        }
        using (var bye = new ClientWebSocket())
        {
            await bye.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/bye"), cancel);
            for (var (type, data) = await bye.ReceiveMessageAsync(cancel); type != NetWebSocketMessageType.Close; (type, data) = await bye.ReceiveMessageAsync(cancel))
                lines.Append(CultureInfo.InvariantCulture, $"message {Encoding.UTF8.GetString(data)}\n");
            await bye.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cancel);
            lines.Append(CultureInfo.InvariantCulture, $"server closed {(int?)bye.CloseStatus} [{bye.CloseStatusDescription}]\n");
        }
        return lines.ToString();
    }
}
