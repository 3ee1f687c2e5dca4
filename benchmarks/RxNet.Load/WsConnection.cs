using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace RxNet.Load;

/// <summary>One WebSocket client connection of the driver: the opening handshake on <c>/ws</c>, masked binary frames
/// out (one frame per message, a random key per connection), and every echoed message read and checked byte for byte
/// (a message may come back as several frames; a server's ping between them is answered with a pong). A frame that is not what an echo server sends is an
/// <see cref="InvalidDataException"/>.</summary>
internal sealed class WsConnection(Socket socket)
{
    private readonly ReceiveBuffer _received = new(128 * 1024);

    public Socket Socket { get; } = socket;

    /// <summary>Connects, sends the handshake and reads the <c>101</c> head.</summary>
    public static async Task<WsConnection> OpenAsync(int port, CancellationToken cancel)
    {
        var socket = await Connections.ConnectAsync(port, cancel);
        try
        {
            var connection = new WsConnection(socket);
            await connection.HandshakeAsync(port, cancel);
            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A message of <paramref name="payload"/> as one masked binary frame, the payload masked with a random key.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, int opcode = 2)
    {
        int header = payload.Length < 126 ? 2 : payload.Length <= 0xFFFF ? 4 : 10;
        var frame = new byte[header + 4 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        if (header == 2)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (header == 4)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }
        Span<byte> key = frame.AsSpan(header, 4);
        RandomNumberGenerator.Fill(key);
        for (int i = 0; i < payload.Length; i++)
            frame[header + 4 + i] = (byte)(payload[i] ^ key[i & 3]);
        return frame;
    }

    /// <summary>A payload of random bytes.</summary>
    public static byte[] Payload(int size) => RandomNumberGenerator.GetBytes(size);

    public async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        while (!data.IsEmpty)
            data = data[await Socket.SendAsync(data, cancel)..];
    }

    /// <summary>Reads one whole echoed message and checks that it is <paramref name="expected"/>, byte for byte.</summary>
    public async Task ReadEchoAsync(ReadOnlyMemory<byte> expected, CancellationToken cancel)
    {
        int matched = 0;
        bool first = true;
        while (true)
        {
            await EnsureAsync(2, cancel);
            byte b0 = _received.Data[0], b1 = _received.Data[1];
            int opcode = b0 & 0x0F;
            if (opcode == 9 && (b0 & 0x80) != 0 && (b1 & 0x7F) <= 125)
            {
                await AnswerPingAsync(b1 & 0x7F, cancel); // a keep-alive ping between the echoes (a slow ramp)
                continue;
            }
            if ((b1 & 0x80) != 0 || (b0 & 0x70) != 0 || opcode != (first ? 2 : 0))
                throw new InvalidDataException($"Not an echo's frame: {b0:X2} {b1:X2}.");
            int lengthBytes = (b1 & 0x7F) switch { 126 => 2, 127 => 8, _ => 0 };
            await EnsureAsync(2 + lengthBytes, cancel);
            long length = lengthBytes switch
            {
                2 => BinaryPrimitives.ReadUInt16BigEndian(_received.Data[2..]),
                8 => (long)BinaryPrimitives.ReadUInt64BigEndian(_received.Data[2..]),
                _ => b1 & 0x7F,
            };
            if (matched + length > expected.Length)
                throw new InvalidDataException($"The echo is longer than the {expected.Length} bytes sent.");
            _received.Consume(2 + lengthBytes);
            for (long left = length; left > 0;)
            {
                await EnsureAsync(1, cancel);
                int take = (int)Math.Min(left, _received.Count);
                if (!_received.Data[..take].SequenceEqual(expected.Span.Slice(matched, take)))
                    throw new InvalidDataException("The echo differs from the message sent.");
                _received.Consume(take);
                matched += take;
                left -= take;
            }
            first = false;
            if ((b0 & 0x80) != 0)
            {
                if (matched != expected.Length)
                    throw new InvalidDataException($"The echo has {matched} of the {expected.Length} bytes sent.");
                return;
            }
        }
    }

    /// <summary>Sends a close frame (1000) and reads until the server's close frame and the end of the connection.</summary>
    public async Task CloseAsync(CancellationToken cancel)
    {
        await SendAsync(Frame([0x03, 0xE8], opcode: 8), cancel);
        await EnsureAsync(2, cancel);
        if ((_received.Data[0] & 0x0F) != 8)
            throw new InvalidDataException("The server did not answer the close with a close frame.");
        await _received.DrainAsync(Socket, cancel);   // the rest of the close frame, then the end of the connection
    }

    private async Task AnswerPingAsync(int length, CancellationToken cancel)
    {
        await EnsureAsync(2 + length, cancel);
        byte[] pong = Frame(_received.Data.Slice(2, length), opcode: 10);
        _received.Consume(2 + length);
        await SendAsync(pong, cancel);
    }

    private async Task HandshakeAsync(int port, CancellationToken cancel)
    {
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await SendAsync(Encoding.ASCII.GetBytes($"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"), cancel);
#pragma warning disable CA5350 // RFC 6455 §4.2.2 defines the accept value with SHA-1: it checks the handshake, it protects nothing
        string accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        while (true)
        {
            int end = _received.Data.IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                string head = Encoding.ASCII.GetString(_received.Data[..end]);
                if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal) || !head.Contains(accept, StringComparison.Ordinal))
                    throw new InvalidDataException($"Not a WebSocket handshake's answer: {head}");
                _received.Consume(end + 4);
                return;
            }
            await _received.FillAsync(Socket, cancel);
        }
    }

    private Task EnsureAsync(int count, CancellationToken cancel) => _received.EnsureAsync(Socket, count, cancel);
}
