// The baseline of the load driver (benchmarks/RxNet.Load): the plainest .NET socket echo server, an accept loop
// and, per connection, a ReceiveAsync/SendAsync loop. Whatever RxNet costs on top of the runtime's sockets is
// its ratio to this server, measured in the same run.
//   BaselineEcho PORT                 a 16 KiB buffer per connection, held while idle
//   BaselineEcho PORT --zero-byte     wait for data with a zero-byte receive, then borrow a pooled buffer
//                                     for the read and its echo: nothing held while idle (RxNet's default)
// Listens on 127.0.0.1 only, prints "listening PORT", runs until killed.
using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

if (args.Length is < 1 or > 2 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
    || (args.Length == 2 && args[1] != "--zero-byte"))
{
    Console.Error.WriteLine("usage: BaselineEcho PORT [--zero-byte]");
    return 2;
}
var zeroByte = args.Length == 2;

using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
listener.Listen(4096);
Console.WriteLine($"listening {((IPEndPoint)listener.LocalEndPoint!).Port}");
while (true)
{
    var connection = await listener.AcceptAsync();
    connection.NoDelay = true;
    _ = zeroByte ? Echo.ZeroByteAsync(connection) : Echo.BufferedAsync(connection);
}

static class Echo
{
    private const int BufferSize = 16 * 1024;

    public static async Task BufferedAsync(Socket connection)
    {
        using (connection)
        {
            var buffer = new byte[BufferSize];
            try
            {
                int read;
                while ((read = await connection.ReceiveAsync(buffer)) > 0)
                    await connection.SendAsync(buffer.AsMemory(0, read));
            }
            catch (SocketException)
            {
                // The peer reset or vanished: this connection is over, the server goes on.
            }
        }
    }

    public static async Task ZeroByteAsync(Socket connection)
    {
        using (connection)
        {
            try
            {
                while (true)
                {
                    await connection.ReceiveAsync(Memory<byte>.Empty);
                    var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                    try
                    {
                        var read = await connection.ReceiveAsync(buffer.AsMemory());
                        if (read == 0)
                            return;
                        await connection.SendAsync(buffer.AsMemory(0, read));
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
            catch (SocketException)
            {
                // As above.
            }
        }
    }
}
