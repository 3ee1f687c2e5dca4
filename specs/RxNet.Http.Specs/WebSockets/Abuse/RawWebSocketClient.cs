using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RxNet.Http.Specs.WebSockets.Abuse;

/// <summary>A WebSocket client made of a plain socket: it sends the handshake and raw frames, reads only when told, and
/// can reset the connection (linger 0) at any byte.</summary>
internal sealed class RawWebSocketClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    private RawWebSocketClient()
    {
    }

    /// <summary>Connects and completes the opening handshake (reads exactly the 101 head, nothing after it).</summary>
    public static async Task<RawWebSocketClient> OpenAsync(IPEndPoint server)
    {
        var client = new RawWebSocketClient();
        var token = TestContext.Current.CancellationToken;
        await client._socket.ConnectAsync(server, token).AsTask().Within();
        await client.SendAsync(Encoding.ASCII.GetBytes(SimulatedWebSocket.Request()));
        var head = new StringBuilder();
        byte[] one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await client._socket.ReceiveAsync(one, token).AsTask().Within() == 0)
                throw new IOException($"The server closed during the handshake: {head}");
            head.Append((char)one[0]);
        }
        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
        return client;
    }

    /// <summary>A masked frame's header announcing <paramref name="length"/> payload bytes (the 64-bit form).</summary>
    public static byte[] Header(int opcode, ulong length, bool fin = true)
    {
        byte[] header = new byte[14];
        header[0] = (byte)((fin ? 0x80 : 0) | opcode);
        header[1] = 0x80 | 127;
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), length);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(10), WireFrames.Key);
        return header;
    }

    public Task SendAsync(ReadOnlyMemory<byte> bytes) => _socket.SendAsync(bytes, TestContext.Current.CancellationToken).AsTask().Within();

    /// <summary>Sends <paramref name="frame"/> <paramref name="count"/> times without reading, until the kernel has not
    /// taken one more byte for <paramref name="stall"/> (a bounded wait for writability, not a sleep); returns the
    /// bytes the kernel took. A server that buffered whatever it is sent would take all of them.</summary>
    public long SendUntilStalled(byte[] frame, long count, TimeSpan stall)
    {
        _socket.Blocking = false;
        long sent = 0;
        for (long i = 0; i < count; i++)
        {
            int offset = 0;
            while (offset < frame.Length)
            {
                int n = _socket.Send(frame, offset, frame.Length - offset, SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock)
                {
                    if (!_socket.Poll(stall, SelectMode.SelectWrite))
                        return sent + offset;
                    continue;
                }
                if (error != SocketError.Success)
                    throw new SocketException((int)error);
                offset += n;
            }
            sent += frame.Length;
        }
        return sent;
    }

    /// <summary>Reads until the server's close frame and returns its code (the frames before it are skipped).</summary>
    public async Task<int> ReadCloseCodeAsync()
    {
        while (true)
        {
            byte[] head = await ReadExactlyAsync(2);
            long length = head[1] & 0x7F;
            if (length == 126)
                length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(2));
            else if (length == 127)
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactlyAsync(8));
            byte[] payload = await ReadExactlyAsync((int)length);
            if ((head[0] & 0x0F) == 8)
                return payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : 1005;
        }
    }

    /// <summary>Resets the connection: linger 0, so the kernel sends RST instead of FIN.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        byte[] buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = await _socket.ReceiveAsync(buffer.AsMemory(read), TestContext.Current.CancellationToken).AsTask().Within();
            if (n == 0)
                throw new IOException("The server closed before its close frame.");
            read += n;
        }
        return buffer;
    }
}
