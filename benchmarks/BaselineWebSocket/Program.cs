// The WebSocket baseline of the load driver: Kestrel with ASP.NET Core's WebSocket middleware on 127.0.0.1, echoing
// every message on /ws with its type, the usual ReceiveAsync/SendAsync loop on one 64 KiB buffer per socket (a
// message longer than the buffer goes back as several frames of one message). No compression, logging off.
// Usage: BaselineWebSocket PORT. Prints "listening PORT" once Kestrel accepts.
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args.Length != 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var port))
{
    await Console.Error.WriteLineAsync("usage: BaselineWebSocket PORT");
    return 2;
}
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
var app = builder.Build();
app.UseWebSockets();
app.Map("/ws", async (HttpContext context) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = 400;
        return;
    }
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var buffer = new byte[64 * 1024];
    try
    {
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                return;
            }
            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
        }
    }
    catch (Exception e) when (e is WebSocketException or OperationCanceledException)
    {
        // The client went away.
    }
});
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"listening {port}"));
await app.RunAsync();
return 0;
