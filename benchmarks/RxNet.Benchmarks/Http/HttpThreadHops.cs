using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxNet.Http;
using RxNet.Sockets;

namespace RxNet.Benchmarks.Http;

/// <summary>
/// Thread-pool work items per keep-alive request on real loopback sockets (<c>--http-hops [N]</c>): an
/// <see cref="HttpServer"/> on a <see cref="SocketReactor"/>'s TCP endpoint answers <c>GET /plaintext</c> with
/// <c>Observable.Return(HttpResponse.Text(...))</c>; one blocking client socket (on this thread, so it queues no pool
/// work of its own) sends N requests one after the other and reads each response whole. The figure is the pool's
/// <see cref="ThreadPool.CompletedWorkItemCount"/> delta divided by N: every item beyond the one that carries a
/// socket's readiness is a hop that costs latency.
/// </summary>
internal static class HttpThreadHops
{
    private static readonly byte[] Request = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray();

    public static int Run(int count)
    {
        using var reactor = new SocketReactor();
        var scheduler = new CountingScheduler(reactor.Scheduler);
        var server = new HttpServer(_ => Observable.Return(HttpResponse.Text("Hello, World!")), scheduler);
        var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listening = server.Listen(reactor.ServerEndpoint("tcp:0:interface=127.0.0.1").Listen(bound.SetResult));
        var port = ((IPEndPoint)bound.Task.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult()).Port;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(new IPEndPoint(IPAddress.Loopback, port));
        var buffer = new byte[4096];
        int length = RoundTrip(client, buffer); // the response's length: every one is the same but for nothing
        for (int i = 0; i < 1000; i++)
            RoundTrip(client, buffer);
        long items = ThreadPool.CompletedWorkItemCount;
        long scheduled = scheduler.Scheduled;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
            RoundTrip(client, buffer);
        clock.Stop();
        items = ThreadPool.CompletedWorkItemCount - items;
        scheduled = scheduler.Scheduled - scheduled;
        Console.WriteLine($"{count} keep-alive requests, {length} B responses");
        Console.WriteLine($"{(double)items / count,8:F2} thread-pool work items per request");
        Console.WriteLine($"{(double)scheduled / count,8:F2} items scheduled on the reactor's scheduler per request");
        Console.WriteLine($"{clock.Elapsed.TotalMicroseconds / count,8:F1} µs per request (noise on a loaded machine)");
        return 0;
    }

    /// <summary>The reactor's scheduler, counting what the server schedules on it (each item wakes the reactor's thread).</summary>
    private sealed class CountingScheduler(IScheduler inner) : IScheduler
    {
        private long _scheduled;

        public long Scheduled => Interlocked.Read(ref _scheduled);

        public DateTimeOffset Now => inner.Now;

        public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action)
        {
            Interlocked.Increment(ref _scheduled);
            return inner.Schedule(state, action);
        }

        public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action)
        {
            Interlocked.Increment(ref _scheduled);
            return inner.Schedule(state, dueTime, action);
        }

        public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action)
        {
            Interlocked.Increment(ref _scheduled);
            return inner.Schedule(state, dueTime, action);
        }
    }

    /// <summary>Sends one request and reads its response whole (head to the blank line, then Content-Length bytes).</summary>
    private static int RoundTrip(Socket client, byte[] buffer)
    {
        client.Send(Request, SocketFlags.None);
        int received = 0;
        while (true)
        {
            int n = client.Receive(buffer.AsSpan(received), SocketFlags.None);
            if (n == 0)
                throw new InvalidOperationException("The server closed the connection.");
            received += n;
            int end = buffer.AsSpan(0, received).IndexOf("\r\n\r\n"u8);
            if (end >= 0 && received >= end + 4 + 13) // "Hello, World!"
                return received;
        }
    }
}
