using System.Net;
using System.Net.Sockets;

namespace RxNet.Load;

/// <summary>Client sockets to the server under test, on 127.0.0.1 only.</summary>
internal static class Connections
{
    // Connects in flight at once while opening many: a burst of thousands would overflow the backlog.
    private const int ConnectsInFlight = 64;

    /// <summary>Connects one socket (no Nagle delay), bounded by <see cref="Timing.StepBound"/>.</summary>
    public static async Task<Socket> ConnectAsync(int port, CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            bound.CancelAfter(Timing.StepBound);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), bound.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="count"/> connections, <see cref="ConnectsInFlight"/> at a time; on any
    /// failure closes those opened and throws.</summary>
    public static async Task<List<Socket>> OpenAsync(int port, int count, CancellationToken cancel)
    {
        var sockets = new List<Socket>(count);
        try
        {
            for (var first = 0; first < count; first += ConnectsInFlight)
            {
                var batch = Enumerable.Range(0, Math.Min(ConnectsInFlight, count - first)).Select(_ => ConnectAsync(port, cancel)).ToList();
                try
                {
                    await Task.WhenAll(batch);
                }
                finally
                {
                    sockets.AddRange(batch.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
                }
            }
            return sockets;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            CloseAll(sockets);
            throw new InvalidOperationException($"Opened {sockets.Count} of {count} connections, then: {e.Message} (the open-files limit is `ulimit -n`).", e);
        }
    }

    /// <summary>Opens <paramref name="count"/> connections with blocking connects, one after the other on a thread
    /// of their own, for an <see cref="EchoLoop"/>: a socket that never made an asynchronous call stays out of the
    /// runtime's own epoll set, whose thread would otherwise wake for every event as well. On any failure closes
    /// those opened and throws.</summary>
    public static async Task<List<Socket>> OpenBlockingAsync(int port, int count, CancellationToken cancel)
    {
        var sockets = new List<Socket>(count);
        var abandoned = false;   // set under the lock once the caller gave up: a late socket is closed, not kept
        var opening = Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < count && !cancel.IsCancellationRequested; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                lock (sockets)
                {
                    if (abandoned)
                    {
                        socket.Dispose();
                        return;
                    }
                    sockets.Add(socket);
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            // A loopback connect is refused or accepted at once, unless a full backlog drops it: bounded like the rest.
            await opening.WaitAsync(Timing.StepBound, cancel);
            return sockets.Count == count ? sockets : throw new OperationCanceledException(cancel);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or TimeoutException)
        {
            int opened;
            lock (sockets)
            {
                abandoned = true;
                opened = sockets.Count;
                CloseAll(sockets);
            }
            throw new InvalidOperationException($"Opened {opened} of {count} connections, then: {e.Message} (the open-files limit is `ulimit -n`).", e);
        }
    }

    /// <summary>Closes every socket.</summary>
    public static void CloseAll(IEnumerable<Socket> sockets)
    {
        foreach (var socket in sockets)
            socket.Dispose();
    }

    /// <summary>Reads exactly <paramref name="buffer"/>'s length.</summary>
    /// <exception cref="SocketException">The server closed first.</exception>
    public static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancel)
    {
        for (var got = 0; got < buffer.Length;)
        {
            var read = await socket.ReceiveAsync(buffer[got..], cancel);
            if (read == 0)
                throw new SocketException((int)SocketError.ConnectionReset);
            got += read;
        }
    }
}
