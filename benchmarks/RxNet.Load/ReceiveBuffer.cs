using System.Net.Sockets;

namespace RxNet.Load;

/// <summary>The bytes a client connection of the driver has received and its parser has not yet consumed, in one
/// array that is refilled from the socket: what both the HTTP and the WebSocket clients read through.</summary>
/// <param name="capacity">The array's size: the most a single read can bring, and the longest stretch a parser may
/// leave unconsumed (a head, a frame's header).</param>
internal sealed class ReceiveBuffer(int capacity)
{
    // Below this much room after the data, the data moves to the front before the next read, so that a read never
    // asks for a few bytes only (and never for none).
    private const int MinimumRoom = 4096;

    private readonly byte[] _bytes = new byte[capacity];
    private int _start, _end;

    /// <summary>The bytes received and not consumed yet.</summary>
    public ReadOnlySpan<byte> Data => _bytes.AsSpan(_start, _end - _start);

    /// <summary>How many bytes <see cref="Data"/> holds.</summary>
    public int Count => _end - _start;

    /// <summary>Marks the first <paramref name="count"/> bytes of <see cref="Data"/> consumed.</summary>
    public void Consume(int count) => _start += count;

    /// <summary>Drops what is kept, then reads and drops everything until the server closes the connection.</summary>
    public async Task DrainAsync(Socket socket, CancellationToken cancel)
    {
        _start = _end = 0;
        while (await socket.ReceiveAsync(_bytes, cancel) != 0)
        {
            // Not wanted: only the end counts.
        }
    }

    /// <summary>Reads what the socket has (at least one byte) after the data kept.</summary>
    /// <exception cref="SocketException">The server closed the connection (or reset it).</exception>
    public async Task FillAsync(Socket socket, CancellationToken cancel)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_bytes.Length - _end < MinimumRoom)
        {
            // Only a head, a header or a line is left unconsumed, well below the capacity.
            _bytes.AsSpan(_start, _end - _start).CopyTo(_bytes);
            _end -= _start;
            _start = 0;
        }
        var read = await socket.ReceiveAsync(_bytes.AsMemory(_end), cancel);
        if (read == 0)
            throw new SocketException((int)SocketError.ConnectionReset);
        _end += read;
    }

    /// <summary>Reads until <see cref="Data"/> holds at least <paramref name="count"/> bytes.</summary>
    /// <exception cref="SocketException">The server closed the connection first.</exception>
    public async Task EnsureAsync(Socket socket, int count, CancellationToken cancel)
    {
        while (Count < count)
            await FillAsync(socket, cancel);
    }
}
