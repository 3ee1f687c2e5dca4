// The classic line chat, in RxNet: try it with two or three `nc localhost 8000`.
//   chat            listens on tcp:8000
//   chat 9000       a bare port: the same as --listen tcp:9000
//   chat --listen tcp:0:interface=127.0.0.1
//   chat --ws tcp:8080  also a door for browsers: http://localhost:8080/ is a chat page whose WebSocket (/ws)
//                       joins the same room, one text message per line
// Prints "listening <port>" once it accepts (and "web listening <port>" for --ws), then one log line per event; Ctrl+C or SIGTERM stops it.
// The room itself is ChatServer (ChatServer.cs and Room.cs): it only needs an IReactor, so its specs run
// it unchanged on RxNet.Testing's simulated network, in virtual time.
using System.CommandLine;
using System.Net;
using RxNet.Demos.Chat;
using RxNet.Sockets;
using RxNet.Twisted;

var listen = new Option<string>("--listen") { Description = "Where to listen: tcp:PORT or tcp:PORT:interface=ADDR.", DefaultValueFactory = _ => "tcp:8000" };
var maxLine = new Option<int>("--max-line") { Description = "The longest line a client may send, in bytes.", DefaultValueFactory = _ => ChatOptions.Default.MaxLineLength };
var maxPending = new Option<long>("--max-pending") { Description = "The most bytes queued for one client before it is dropped as too slow.", DefaultValueFactory = _ => ChatOptions.Default.MaxPendingBytes };
var ws = new Option<string?>("--ws") { Description = "Also listen here for browsers (an endpoint string such as tcp:8080): a chat page at / whose WebSocket at /ws joins the same room." };
var port = new Argument<int?>("port") { Description = "A bare port number: the same as --listen tcp:PORT.", Arity = ArgumentArity.ZeroOrOne };
var command = new RootCommand("RxNet chat server: a line chat for nc or telnet clients, and browsers with --ws.") { listen, ws, maxLine, maxPending, port };
command.SetAction(result =>
{
    string description = result.GetValue(port) is int p ? $"tcp:{p}" : result.GetValue(listen)!;
    var options = ChatOptions.Default with { MaxLineLength = result.GetValue(maxLine), MaxPendingBytes = result.GetValue(maxPending) };
    using var reactor = new SocketReactor();
    Exception? failure = null;
    try
    {
        EndPoint? boundAt = null;
        EndPoint? webBoundAt = null;
        var room = new ChatServer(reactor, options).Serve(description, result.GetValue(ws), bound => boundAt = bound, bound => webBoundAt = bound);
        using var serving = room.Subscribe(Console.WriteLine, error =>
        {
            failure = error;
            reactor.Stop();
        });
        // Said once the reactor runs, so its SIGTERM and Ctrl+C handlers are in place when a script reads it.
        reactor.CallWhenRunning(() =>
        {
            if (boundAt is IPEndPoint ip)
                Console.WriteLine($"listening {ip.Port}");
            if (webBoundAt is IPEndPoint web)
                Console.WriteLine($"web listening {web.Port}");
        });
        reactor.Run(); // until SIGTERM or Ctrl+C (Twisted's signal handlers); disposing `serving` afterwards disconnects everyone
    }
    catch (FormatException e)
    {
        failure = e;
    }
    if (failure is not null)
    {
        Console.Error.WriteLine($"chat: {failure.Message}");
        return 1;
    }
    return 0;
});
return command.Parse(args).Invoke();
