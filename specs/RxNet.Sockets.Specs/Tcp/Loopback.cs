using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>Every wait in the specs is bounded: these put the bound in one place.</summary>
internal static class Bounded
{
    /// <summary>For a handshake or a few small messages.</summary>
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(20);

    /// <summary>For transfers of tens of megabytes or a thousand connections.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null) =>
        task.WaitAsync(timeout ?? Short, Cancel);

    public static Task Within(this Task task, TimeSpan? timeout = null) =>
        task.WaitAsync(timeout ?? Short, Cancel);

    /// <summary>The first value of <paramref name="source"/>, waited for at most <paramref name="timeout"/>.</summary>
    public static Task<T> FirstWithin<T>(this IObservable<T> source, TimeSpan? timeout = null) =>
        source.FirstAsync().ToTask(Cancel).Within(timeout);

    /// <summary>A connection's single <see cref="ConnectionClosed"/> value.</summary>
    public static Task<ConnectionClosed> ClosedWithin(this IConnection connection, TimeSpan? timeout = null) =>
        connection.Closed.FirstWithin(timeout);
}

/// <summary>An RxNet TCP server on a loopback port chosen by the system.</summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly Channel<IConnection> _accepted = Channel.CreateUnbounded<IConnection>();
    private readonly ConcurrentQueue<IConnection> _all = new();
    private readonly Action<IConnection>? _onAccepted;
    private IDisposable? _listener;

    private LoopbackServer(Action<IConnection>? onAccepted) => _onAccepted = onAccepted;

    public IPEndPoint EndPoint { get; private set; } = null!;

    public int Port => EndPoint.Port;

    /// <summary>Connections accepted so far.</summary>
    public int AcceptedCount => _all.Count;

    /// <summary>Binds port 0 of <paramref name="address"/> (IPv4 loopback by default) and starts accepting.</summary>
    /// <param name="onAccepted">Runs on the accept thread for each connection, before <see cref="NextAsync"/> sees it.</param>
    public static async Task<LoopbackServer> StartAsync(Action<IConnection>? onAccepted = null, IPAddress? address = null, TcpOptions? options = null)
    {
        var server = new LoopbackServer(onAccepted);
        var endpoint = new TcpServerEndpoint(new IPEndPoint(address ?? IPAddress.Loopback, 0), options);
        var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        server._listener = endpoint.Listen(bound.SetResult).Subscribe(server.Accept, e => server._accepted.Writer.TryComplete(e));
        server.EndPoint = (IPEndPoint)await bound.Task.Within();
        return server;
    }

    /// <summary>The next accepted connection, in accept order.</summary>
    public Task<IConnection> NextAsync() => _accepted.Reader.ReadAsync(Bounded.Cancel).AsTask().Within();

    /// <summary>Unbinds; accepted connections live on.</summary>
    public void StopListening() => _listener?.Dispose();

    /// <summary>Unbinds and aborts every accepted connection that is still open.</summary>
    public void Dispose()
    {
        _listener?.Dispose();
        while (_all.TryDequeue(out var connection))
            connection.Dispose();
    }

    private void Accept(IConnection connection)
    {
        _all.Enqueue(connection);
        _onAccepted?.Invoke(connection);
        _accepted.Writer.TryWrite(connection);
    }
}

/// <summary>Clients and raw sockets for the other end of a loopback connection.</summary>
internal static class Peer
{
    /// <summary>Connects an RxNet client.</summary>
    public static Task<IConnection> ConnectAsync(IPEndPoint endPoint, TcpOptions? options = null, TimeSpan? timeout = null) =>
        new TcpClientEndpoint(endPoint, options).Connect().FirstWithin(timeout);

    /// <summary>Connects a plain <see cref="Socket"/>, with nothing of RxNet on this side.</summary>
    public static async Task<Socket> ConnectRawAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint, Bounded.Cancel).AsTask().Within();
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends all of <paramref name="data"/>.</summary>
    public static async Task SendAllAsync(this Socket socket, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent = await socket.SendAsync(data, SocketFlags.None, Bounded.Cancel).AsTask().Within();
            data = data[sent..];
        }
    }

    /// <summary>Reads until the peer finishes sending.</summary>
    public static async Task<byte[]> ReadToEndAsync(this Socket socket)
    {
        using var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, Bounded.Cancel).AsTask().Within()) > 0)
            all.Write(buffer, 0, n);
        return all.ToArray();
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    public static async Task<byte[]> ReadExactlyAsync(this Socket socket, int count)
    {
        var buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, Bounded.Cancel).AsTask().Within();
            if (n == 0)
                throw new EndOfStreamException($"The peer finished after {read} of {count} bytes.");
            read += n;
        }
        return buffer;
    }

    /// <summary>
    /// Sends <paramref name="total"/> seeded random bytes in writes of random sizes from 1 to
    /// <paramref name="maxWrite"/>, then finishes sending (FIN). <paramref name="sent"/> counts progress.
    /// </summary>
    public static async Task<Digest> SendRandomAsync(this Socket socket, long total, int seed, int maxWrite, StrongBox<long>? sent = null)
    {
        var random = new Random(seed);
        var buffer = new byte[maxWrite];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long done = 0;
        while (done < total)
        {
            int size = (int)Math.Min(random.Next(1, maxWrite + 1), total - done);
            random.NextBytes(buffer.AsSpan(0, size));
            hash.AppendData(buffer, 0, size);
            await socket.SendAllAsync(buffer.AsMemory(0, size));
            done += size;
            if (sent is not null)
                Volatile.Write(ref sent.Value, done);
        }
        socket.Shutdown(SocketShutdown.Send);
        return new Digest(done, hash.GetHashAndReset());
    }

    /// <summary>Reads until the peer finishes sending, hashing as it goes.</summary>
    public static async Task<Digest> ReceiveDigestAsync(this Socket socket)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, Bounded.Cancel).AsTask().Within()) > 0)
        {
            hash.AppendData(buffer, 0, n);
            total += n;
        }
        return new Digest(total, hash.GetHashAndReset());
    }
}

/// <summary>The length and SHA-256 of a byte stream.</summary>
internal sealed record Digest(long Length, byte[] Sha256)
{
    public bool Equals(Digest? other) => other is not null && Length == other.Length && Sha256.AsSpan().SequenceEqual(other.Sha256);

    public override int GetHashCode() => HashCode.Combine(Length, Sha256.Length > 0 ? Sha256[0] : 0);

    public override string ToString() => $"{Length} bytes, SHA-256 {Convert.ToHexString(Sha256)}";
}

/// <summary>How an <see cref="InputCollector"/>'s input ended: the bytes, and the error if it failed.</summary>
internal sealed record InputEnd(byte[] Bytes, Exception? Error);

/// <summary>
/// An input subscriber that keeps every byte, lets a spec wait for a byte count, and reports how
/// the input ended without ever leaving a faulted task behind.
/// </summary>
internal sealed class InputCollector : IObserver<ReadOnlyMemory<byte>>
{
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _bytes = new();
    private readonly List<(long Count, TaskCompletionSource<bool> Reached)> _waiters = [];
    private readonly TaskCompletionSource<InputEnd> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inside;

    /// <summary>Completes when the input completes or fails; never faults.</summary>
    public Task<InputEnd> End => _end.Task;

    public int Chunks { get; private set; }

    public int EmptyChunks { get; private set; }

    /// <summary>Notifications that overlapped another one (must stay 0).</summary>
    public int Overlaps { get; private set; }

    public long Count
    {
        get
        {
            lock (_lock)
                return _bytes.WrittenCount;
        }
    }

    public byte[] Bytes()
    {
        lock (_lock)
            return _bytes.WrittenSpan.ToArray();
    }

    /// <summary>Completes once <paramref name="count"/> bytes have arrived; fails if the input ends first.</summary>
    public async Task WhenReceived(long count, TimeSpan? timeout = null)
    {
        Task<bool> reached;
        lock (_lock)
        {
            if (_bytes.WrittenCount >= count)
                return;
            var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_end.Task.IsCompleted)
                waiter.SetResult(false);
            else
                _waiters.Add((count, waiter));
            reached = waiter.Task;
        }
        if (!await reached.Within(timeout))
            Assert.Fail($"The input ended after {Count} bytes, before {count} arrived ({End.Result.Error?.Message ?? "completed"}).");
    }

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (Interlocked.Exchange(ref _inside, 1) != 0)
            Overlaps++;
        List<TaskCompletionSource<bool>> reached = [];
        lock (_lock)
        {
            Chunks++;
            if (value.IsEmpty)
                EmptyChunks++;
            _bytes.Write(value.Span);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_bytes.WrittenCount >= _waiters[i].Count)
                {
                    reached.Add(_waiters[i].Reached);
                    _waiters.RemoveAt(i);
                }
            }
        }
        Volatile.Write(ref _inside, 0);
        foreach (var waiter in reached)
            waiter.TrySetResult(true);
    }

    public void OnError(Exception error) => Finish(error);

    public void OnCompleted() => Finish(null);

    private void Finish(Exception? error)
    {
        List<(long, TaskCompletionSource<bool> Reached)> waiters;
        byte[] bytes;
        lock (_lock)
        {
            bytes = _bytes.WrittenSpan.ToArray();
            waiters = [.. _waiters];
            _waiters.Clear();
        }
        _end.TrySetResult(new InputEnd(bytes, error));
        foreach (var waiter in waiters)
            waiter.Reached.TrySetResult(false);
    }
}

/// <summary>Counts this process's socket descriptors, from <c>/proc/self/fd</c>.</summary>
internal static class SocketDescriptors
{
    /// <summary>The inodes of the sockets open now (<c>socket:[inode]</c> link targets).</summary>
    public static HashSet<string> Snapshot()
    {
        var sockets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed while we looked
            }
            if (target is not null && target.StartsWith("socket:", StringComparison.Ordinal))
                sockets.Add(target);
        }
        return sockets;
    }

    /// <summary>How many sockets are open now that were not in <paramref name="before"/>: a socket some
    /// earlier spec left to close later cannot change it.</summary>
    public static int OpenedSince(HashSet<string> before) => Snapshot().Count(socket => !before.Contains(socket));

    /// <summary>
    /// Waits, bounded by a few seconds, until exactly <paramref name="expected"/> sockets not in
    /// <paramref name="before"/> are open, and returns the last count seen. Closing a descriptor may
    /// finish on another thread just after the event that announces it, hence the bounded poll.
    /// </summary>
    public static async Task<int> WaitForOpenedSinceAsync(HashSet<string> before, int expected)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            int count = OpenedSince(before);
            if (count == expected || deadline.IsCancellationRequested || Bounded.Cancel.IsCancellationRequested)
                return count;
            await Task.Yield();
        }
    }
}
