using System.Net;
using System.Net.Sockets;
using RxNet.Sockets;
using RxNet.Sockets.Internal;

namespace RxNet.Benchmarks;

/// <summary>
/// The two echo servers under test, started in the calling process: an RxNet TCP echo server
/// (<c>c.Input.Subscribe(c.Output)</c>) and a plain-socket baseline, plus one blocking client
/// socket connected to each.
/// </summary>
/// <remarks>
/// Everything here runs in the process that creates it. Benchmarks create it in
/// <c>[GlobalSetup]</c>, which BenchmarkDotNet runs in the same process as the measured
/// methods, so the servers' allocations are counted by the process-wide
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/> that <c>[MemoryDiagnoser]</c> reads.
/// </remarks>
internal sealed class EchoServers : IDisposable
{
    /// <summary>The baseline's per-connection receive buffer, as in the shared dotnet-echo baseline.</summary>
    public const int PlainBufferSize = 16 * 1024;

    private readonly IDisposable _rxListener;
    private readonly SocketConnection _rxServerConnection;
    private readonly Socket _plainListener;
    private readonly CancellationTokenSource _stop;
    private readonly PlainServerStats _plainStats;
    private readonly Task _plainAcceptLoop;

    private EchoServers(IDisposable rxListener, SocketConnection rxServerConnection, Socket rxClient,
        Socket plainListener, Socket plainClient, Task plainAcceptLoop, CancellationTokenSource stop, PlainServerStats plainStats)
    {
        _rxListener = rxListener;
        _rxServerConnection = rxServerConnection;
        RxClient = rxClient;
        _plainListener = plainListener;
        PlainClient = plainClient;
        _plainAcceptLoop = plainAcceptLoop;
        _stop = stop;
        _plainStats = plainStats;
    }

    /// <summary>The process the servers were started in.</summary>
    public int ProcessId { get; } = Environment.ProcessId;

    /// <summary>A blocking client connected to the RxNet echo server.</summary>
    public Socket RxClient { get; }

    /// <summary>A blocking client connected to the plain-socket echo server.</summary>
    public Socket PlainClient { get; }

    /// <summary>Bytes the RxNet server received (read from its connection, in this process).</summary>
    public long RxServerBytesReceived => _rxServerConnection.BytesReceived;

    /// <summary>Send calls the RxNet server made.</summary>
    public long RxServerSends => _rxServerConnection.Output.Sends;

    /// <summary>Bytes the plain server received.</summary>
    public long PlainServerBytesReceived => Interlocked.Read(ref _plainStats.BytesReceived);

    public static EchoServers Start()
    {
        // (a) RxNet: the echo server of the issue, verbatim.
        var rxBound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rxAccepted = new TaskCompletionSource<IConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rxListener = new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0))
            .Listen(rxBound.SetResult)
            .Subscribe(c =>
            {
                c.Input.Subscribe(c.Output);
                rxAccepted.TrySetResult(c);
            });
        var rxClient = ConnectClient((IPEndPoint)rxBound.Task.GetAwaiter().GetResult());
        var rxConnection = (SocketConnection)rxAccepted.Task.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();

        // (b) Plain sockets: accept loop + one ReceiveAsync/SendAsync loop per connection.
        var plainListener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        plainListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        plainListener.Listen(16);
        var stop = new CancellationTokenSource();
        var stats = new PlainServerStats();
        var acceptLoop = PlainAcceptLoopAsync(plainListener, stats, stop.Token);
        var plainClient = ConnectClient((IPEndPoint)plainListener.LocalEndPoint!);

        return new EchoServers(rxListener, rxConnection, rxClient, plainListener, plainClient, acceptLoop, stop, stats);
    }

    public void Dispose()
    {
        RxClient.Dispose();
        PlainClient.Dispose();
        _rxServerConnection.Dispose();
        _rxListener.Dispose();
        _stop.Cancel();
        _plainListener.Dispose();
        try
        {
            _plainAcceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the accept loop ends with the listener; nothing to report
        }
        _stop.Dispose();
    }

    /// <summary>Sends <paramref name="message"/> and reads exactly as many bytes back; allocates nothing.</summary>
    public static void RoundTrip(Socket client, byte[] message, byte[] reply)
    {
        client.Send(message, SocketFlags.None);
        int received = 0;
        while (received < reply.Length)
        {
            int n = client.Receive(reply.AsSpan(received), SocketFlags.None);
            if (n == 0)
                throw new InvalidOperationException("The echo server closed the connection.");
            received += n;
        }
    }

    private static Socket ConnectClient(IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(server);
        return socket;
    }

    private static async Task PlainAcceptLoopAsync(Socket listener, PlainServerStats stats, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            socket.NoDelay = true;
            _ = PlainEchoAsync(socket, stats);
        }
    }

    private static async Task PlainEchoAsync(Socket socket, PlainServerStats stats)
    {
        byte[] buffer = GC.AllocateUninitializedArray<byte>(PlainBufferSize); // once per connection
        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                    break;
                Interlocked.Add(ref stats.BytesReceived, n);
                int sent = 0;
                while (sent < n)
                    sent += await socket.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // the client went away
        }
        finally
        {
            socket.Dispose();
        }
    }

    private sealed class PlainServerStats
    {
        public long BytesReceived;
    }
}
