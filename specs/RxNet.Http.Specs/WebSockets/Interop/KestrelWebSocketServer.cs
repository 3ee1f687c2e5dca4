using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetWebSocketMessageType = System.Net.WebSockets.WebSocketMessageType;

namespace RxNet.Http.Specs.WebSockets.Interop;

/// <summary>ASP.NET Core's WebSocket middleware on Kestrel, in the spec's own process, on 127.0.0.1 port 0, serving
/// the routes of <see cref="IWebSocketPeerServer"/>. It has no API to send a ping, so it answers no <c>ping</c>.</summary>
internal sealed class KestrelWebSocketServer : IWebSocketPeerServer
{
    private readonly WebApplication _app;
    private readonly bool _deflate;
    private readonly Arrivals<string> _closed = new();

    private KestrelWebSocketServer(bool deflate)
    {
        _deflate = deflate;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Run(AnswerAsync);
    }

    public int Port { get; private set; }

    public bool Pings => false;

    /// <summary>Starts the app; <paramref name="deflate"/> lets it accept a permessage-deflate offer.</summary>
    public static async Task<KestrelWebSocketServer> StartAsync(bool deflate)
    {
        var server = new KestrelWebSocketServer(deflate);
        await server._app.StartAsync(TestContext.Current.CancellationToken);
        string address = server._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Port = new Uri(address).Port;
        return server;
    }

    public Task<string[]> ClosedAsync(int count) => _closed.FirstAsync(count);

    public void Dispose() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task AnswerAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var cancel = context.RequestAborted;
        string? subprotocol = context.WebSockets.WebSocketRequestedProtocols.Contains("chat") ? "chat" : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = subprotocol, DangerousEnableCompression = _deflate });
        if (context.Request.Path == "/bye")
        {
            await socket.SendAsync("bye"u8.ToArray(), NetWebSocketMessageType.Text, true, cancel);
            await socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "bye now", cancel); // 1001, waits for the answer
        }
        else
        {
            await EchoAsync(socket, cancel);
        }
        _closed.Add($"closed {(int?)socket.CloseStatus} [{socket.CloseStatusDescription}]");
    }

    private static async Task EchoAsync(System.Net.WebSockets.WebSocket socket, CancellationToken cancel)
    {
        for (var (type, data) = await socket.ReceiveMessageAsync(cancel); type != NetWebSocketMessageType.Close; (type, data) = await socket.ReceiveMessageAsync(cancel))
        {
            if (type == NetWebSocketMessageType.Text && Encoding.UTF8.GetString(data) == "fragmented")
            {
                foreach (string part in (string[])["frag", "ment", "ed"])
                    await socket.SendAsync(Encoding.UTF8.GetBytes(part), NetWebSocketMessageType.Text, part == "ed", cancel);
            }
            else
            {
                await socket.SendAsync(data, type, true, cancel);
            }
        }
        await socket.CloseOutputAsync(socket.CloseStatus!.Value, socket.CloseStatusDescription, cancel);
    }
}
