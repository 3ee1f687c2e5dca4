using System.Net.Sockets;

namespace RxNet.Load;

/// <summary>One keep-alive HTTP/1.1 client connection of the driver: sends request bytes and reads responses,
/// each checked by an <see cref="HttpResponseParser"/> as it arrives.</summary>
internal sealed class HttpConnection(Socket socket)
{
    private readonly ReceiveBuffer _received = new(64 * 1024);
    private readonly HttpResponseParser _parser = new();

    /// <summary>The socket.</summary>
    public Socket Socket { get; } = socket;

    /// <summary>Sends every byte of <paramref name="data"/>.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        while (!data.IsEmpty)
            data = data[await Socket.SendAsync(data, cancel)..];
    }

    /// <summary>Reads one whole response and checks it.</summary>
    /// <exception cref="InvalidDataException">The response is not what <paramref name="expected"/> says.</exception>
    /// <exception cref="SocketException">The server closed or reset the connection first.</exception>
    public async Task ReadAsync(HttpExpectation expected, CancellationToken cancel)
    {
        _parser.Begin(expected);
        while (true)
        {
            var done = _parser.Step(_received.Data, out var consumed);
            _received.Consume(consumed);
            if (done)
                return;
            await _received.FillAsync(Socket, cancel);
        }
    }

    /// <summary>Sends <paramref name="request"/> and reads and checks <paramref name="responses"/> responses;
    /// the reading starts while the request is still being sent, as a streaming echo answers before the
    /// request's end.</summary>
    public async Task ExchangeAsync(ReadOnlyMemory<byte> request, HttpExpectation expected, int responses, CancellationToken cancel)
    {
        var sending = SendAsync(request, cancel);
        try
        {
            for (var i = 0; i < responses; i++)
                await ReadAsync(expected, cancel);
        }
        finally
        {
            await sending;
        }
    }
}
