using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AspNetResponse = Microsoft.AspNetCore.Http.HttpResponse;

namespace RxNet.Http.Specs.Client.Interop;

/// <summary>An ASP.NET Core app on Kestrel in the spec's own process, on 127.0.0.1 port 0, answering
/// <see cref="InteropRoutes"/>. A connection middleware numbers the connections Kestrel accepts.</summary>
internal sealed class KestrelInteropServer : IInteropServer
{
    private const string SerialKey = "rxnet.serial";
    private readonly WebApplication _app;
    private int _accepted;

    private KestrelInteropServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
        {
            connection.Items[SerialKey] = Interlocked.Increment(ref _accepted);
            return next(connection);
        })));
        _app = builder.Build();
        _app.Run(AnswerAsync);
    }

    public string Name => "Kestrel";

    public int Port { get; private set; }

    public static async Task<KestrelInteropServer> StartAsync()
    {
        var server = new KestrelInteropServer();
        await server._app.StartAsync(TestContext.Current.CancellationToken);
        string address = server._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Port = new Uri(address).Port;
        return server;
    }

    public Task<int> ConnectionsAcceptedAsync() => Task.FromResult(Volatile.Read(ref _accepted));

    public void Dispose() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static async Task AnswerAsync(HttpContext context)
    {
        object serial = context.Features.GetRequiredFeature<IConnectionItemsFeature>().Items[SerialKey]!;
        var response = context.Response;
        response.Headers["X-Connection"] = Convert.ToString(serial, CultureInfo.InvariantCulture);
        byte[] body = InteropRoutes.Body;
        switch (context.Request.Path.Value)
        {
            case InteropRoutes.Length:
                await WriteAsync(response, body, body.Length);
                break;
            case InteropRoutes.Chunked:
                response.ContentType = "text/plain";
                for (int i = 0; i < body.Length; i += 1000)
                {
                    await response.Body.WriteAsync(body.AsMemory(i, Math.Min(1000, body.Length - i)));
                    await response.Body.FlushAsync();
                }
                break;
            case InteropRoutes.Empty:
                response.StatusCode = StatusCodes.Status204NoContent;
                break;
            case InteropRoutes.ETag:
                response.Headers.ETag = "\"v1\"";
                if (context.Request.Headers.IfNoneMatch == "\"v1\"")
                    response.StatusCode = StatusCodes.Status304NotModified;
                else
                    await WriteAsync(response, body, body.Length);
                break;
            case InteropRoutes.Redirect:
                response.Redirect(InteropRoutes.Length);
                break;
            case InteropRoutes.Gzip:
                byte[] zipped = Gzip(body);
                response.Headers.ContentEncoding = "gzip";
                await WriteAsync(response, zipped, zipped.Length);
                break;
            case InteropRoutes.Close:
                await WriteAsync(response, body, body.Length);
                await response.CompleteAsync();
                // The head is out without "Connection: close"; Kestrel closes once this response is done.
                context.Features.GetRequiredFeature<IConnectionLifetimeNotificationFeature>().RequestClose();
                break;
            case InteropRoutes.Reset:
                // Straight to the socket, then closed with SO_LINGER 0: the client's kernel queues the head and the
                // 1000 bytes before the reset, and reports the reset only after them.
                var socket = context.Features.GetRequiredFeature<IConnectionSocketFeature>().Socket;
                socket.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nX-Connection: {serial}\r\n\r\n{new string('x', 1000)}"));
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
                context.Abort();
                break;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }

    private static Task WriteAsync(AspNetResponse response, byte[] body, int length)
    {
        response.ContentType = "text/plain";
        response.ContentLength = length;
        return IsHead(response) ? Task.CompletedTask : response.Body.WriteAsync(body, 0, length);
    }

    private static bool IsHead(AspNetResponse response) => HttpMethods.IsHead(response.HttpContext.Request.Method);

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(data);
        return output.ToArray();
    }
}
