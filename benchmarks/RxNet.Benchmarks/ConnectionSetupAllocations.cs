using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RxNet.Hosting;

namespace RxNet.Benchmarks;

/// <summary>
/// Bytes allocated per accepted-and-closed connection (<c>--connect-alloc [N]</c>): N times, one blocking client
/// connects, echoes 64 bytes, half-closes and waits for the server's close, as the load driver's connect-cN does;
/// the process-wide allocation counter over the N cycles, divided by N. Run against the echo server on the Generic
/// Host as <c>demos/EchoServer</c> sets it up, and against a plain zero-byte-read socket echo (the driver's
/// <c>baseline-zb</c>) in the same process: the client's share is the same in both, so the difference is what
/// RxNet's connection setup costs over a plain server's.
/// </summary>
internal static class ConnectionSetupAllocations
{
    public static int Run(int connections)
    {
        using var host = StartHost(out var rxEndPoint);
        using var plain = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        plain.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        plain.Listen(64);
        _ = PlainAcceptLoopAsync(plain);
        var plainEndPoint = (IPEndPoint)plain.LocalEndPoint!;
        for (int round = 0; round < 2; round++) // the second round is the figure: the first warms JIT and pools
        {
            double rx = Measure(rxEndPoint, connections);
            double zb = Measure(plainEndPoint, connections);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round + 1}: rxnet-host {rx:0} B/conn, plain-zb {zb:0} B/conn, rxnet - plain {rx - zb:0} B/conn ({connections} connections)"));
        }
        host.StopAsync().GetAwaiter().GetResult();
        return 0;
    }

    private static IHost StartHost(out IPEndPoint bound)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRxNetServer("tcp:0:interface=127.0.0.1", connection => connection.Input.Subscribe(connection.Output), server => server.DrainTimeout = TimeSpan.Zero);
        var host = builder.Build();
        host.Start();
        bound = (IPEndPoint)host.Services.GetRequiredService<RxNetServer>().BoundEndPoint!;
        return host;
    }

    private static double Measure(IPEndPoint server, int connections)
    {
        var message = new byte[64];
        var reply = new byte[64];
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < connections; i++)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(server);
            EchoServers.RoundTrip(client, message, reply);
            client.Shutdown(SocketShutdown.Send);
            if (client.Receive(reply) != 0) // the server's close
                throw new InvalidOperationException("The echo server sent more than it was sent.");
        }
        return (double)(GC.GetTotalAllocatedBytes(precise: true) - before) / connections;
    }

    private static async Task PlainAcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = PlainZeroByteEchoAsync(socket);
        }
    }

    // The driver's baseline-zb: wait with a zero-byte receive, then read into a pooled buffer.
    private static async Task PlainZeroByteEchoAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                while (true)
                {
                    await socket.ReceiveAsync(Memory<byte>.Empty).ConfigureAwait(false);
                    var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
                    try
                    {
                        int read = await socket.ReceiveAsync(buffer.AsMemory()).ConfigureAwait(false);
                        if (read == 0)
                            return;
                        await socket.SendAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
            catch (SocketException)
            {
                // the client went away
            }
        }
    }
}
