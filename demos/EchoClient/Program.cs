// The seed's echo client, in RxNet: connects, sends "Hello, RxNet Server!\n", prints
// "Received: ..." and closes. --style rx (default) or --style twisted. --connect takes any endpoint
// string the reactor understands (tcp:, unix:, ...); --host/--port are the short form of tcp:.
using System.CommandLine;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using RxNet;
using RxNet.Sockets;

var host = new Option<string>("--host") { Description = "The server's host name or address.", DefaultValueFactory = _ => "localhost" };
var port = new Option<int>("--port") { Description = "The server's port.", DefaultValueFactory = _ => 8000 };
var connect = new Option<string?>("--connect") { Description = "Where to connect, as an endpoint string: tcp:host=H:port=P, unix:PATH, udp:0:remoteHost=ADDR:remotePort=P, ... (overrides --host and --port)." };
var style = new Option<string>("--style") { Description = "rx (an Rx pipeline) or twisted (Protocol and ClientFactory).", DefaultValueFactory = _ => "rx" };
style.AcceptOnlyFromAmong("rx", "twisted");
var command = new RootCommand("RxNet echo client: says hello to an echo server and prints the answer.") { host, port, connect, style };
command.SetAction(async (result, cancel) =>
{
    using var reactor = new SocketReactor();
    string description = result.GetValue(connect)
        ?? $"tcp:host={EndpointDescription.Escape(result.GetValue(host)!)}:port={result.GetValue(port)}";
    try
    {
        if (EndpointDescription.Parse(description).Scheme == "udp")
            return await DatagramStyle.RunAsync(reactor, description);
        return result.GetValue(style) == "twisted"
            ? TwistedStyle.Run(reactor, description)
            : await RxStyle.RunAsync(reactor, description);
    }
    catch (FormatException e)
    {
        Console.Error.WriteLine($"echo client: {e.Message}");
        return 2;
    }
});
return await command.Parse(args).InvokeAsync();

static class RxStyle
{
    public static async Task<int> RunAsync(IReactor reactor, string description)
    {
        var endpoint = reactor.ClientEndpoint(description);
        IConnection connection;
        try
        {
            connection = await endpoint.Connect();
        }
        catch (IOException e)
        {
            Console.WriteLine($"Connection failed: {e.Message}");
            return 1;
        }
        using (connection)
        {
            // Send, then half-close: the echo server answers and closes its side in turn, so the
            // reply is everything received until the end of the input, however the network cut it.
            var reply = connection.Input
                .Aggregate(new List<byte>(), (bytes, chunk) => { bytes.AddRange(chunk.Span); return bytes; })
                .Select(bytes => Encoding.UTF8.GetString(bytes.ToArray()));
            connection.Output.OnNext("Hello, RxNet Server!\n"u8.ToArray());
            connection.Output.OnCompleted();
            Console.Write($"Received: {await reply}");
            await connection.Closed;
        }
        return 0;
    }
}

static class DatagramStyle
{
    /// <summary>The same hello over UDP: one datagram to the connected peer, one back (or a clear failure).</summary>
    public static async Task<int> RunAsync(IReactor reactor, string description)
    {
        // Bound while subscribed: Bind() emits the socket and stays open until disposed.
        var bound = new TaskCompletionSource<IDatagramSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var binding = reactor.DatagramEndpoint(description).Bind().Subscribe(bound.SetResult, bound.SetException);
        IDatagramSocket socket;
        try
        {
            socket = await bound.Task;
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            Console.WriteLine($"Cannot bind: {e.Message}");
            return 1;
        }
        var reply = socket.Input.Select(datagram => Encoding.UTF8.GetString(datagram.Payload.Span)).FirstAsync()
            .Timeout(TimeSpan.FromSeconds(5)).ToTask(); // nothing is acknowledged on UDP: give up after a while
        socket.PeerOutput().OnNext("Hello, RxNet Server!\n"u8.ToArray());
        try
        {
            Console.Write($"Received: {await reply}");
            return 0;
        }
        catch (Exception e) when (e is TimeoutException or ConnectionRefusedException)
        {
            Console.WriteLine($"No reply: {e.Message}");
            return 1;
        }
    }
}
