using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RxNet.Benchmarks.Http;

/// <summary>An HTTP/1.1 server for client benchmarks that allocates nothing per request: per connection one loop reads
/// into a fixed buffer, and for every request head (<c>\r\n\r\n</c>) sends the same canned <c>200</c> with
/// <c>Hello, World!</c>, keep-alive. It runs in the benchmark's process, so what a GET allocates there is the client's.</summary>
/// <remarks>Requests without bodies only (the benchmarks send GETs).</remarks>
internal sealed class CannedHttpServer : IDisposable
{
    /// <summary>The body of every response.</summary>
    public static readonly byte[] Body = "Hello, World!"u8.ToArray();

    private static readonly byte[] Response = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nServer: canned\r\n\r\nHello, World!");

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();

    public CannedHttpServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _ = AcceptAsync();
    }

    /// <summary>The port it listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(_stop.Token);
                socket.NoDelay = true;
                _ = ServeAsync(socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var owned = socket;
        var buffer = new byte[16 * 1024];
        int held = 0;
        try
        {
            while (true)
            {
                int read = await socket.ReceiveAsync(buffer.AsMemory(held), SocketFlags.None, _stop.Token);
                if (read == 0)
                    return;
                held += read;
                int start = 0;
                for (int end; (end = buffer.AsSpan(start, held - start).IndexOf("\r\n\r\n"u8)) >= 0;)
                {
                    start += end + 4;
                    await socket.SendAsync(Response, SocketFlags.None, _stop.Token);
                }
                buffer.AsSpan(start, held - start).CopyTo(buffer);
                held -= start;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client or the server went away.
        }
    }
}
