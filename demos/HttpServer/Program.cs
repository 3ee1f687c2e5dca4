// An HTTP/1.1 server on RxNet: the routes of a framework benchmark plus static files, as Rx handlers.
//   GET /plaintext  Hello, World! (text/plain)
//   GET /json       {"message":"Hello, World!"} (application/json, System.Text.Json's source generator)
//   POST /echo      the request body streamed back as it arrives, whatever its length: the route lifts the
//                   body limit for its own requests (request.MaxBodySize = null), since it holds nothing
//   GET /ws         a WebSocket echo: every message comes back with its type (text as text, binary as binary)
//   anything else   the files under --path (default: the current directory), through twisted.web's File
//                   resource: ranges, If-Modified-Since/ETag, directory listings, nothing outside the folder
// --style twisted serves the same as a Resource tree on a Site (root = File(path) with the three routes as children).
// --listen takes any endpoint string the reactor understands (tcp:PORT[:interface=ADDR], tcp6:, unix:PATH,
// tls:..., haproxy:tcp:PORT), or a bare port. Prints "listening <port or path>" once it accepts; SIGTERM or
// Ctrl+C stops accepting, lets the exchanges in flight finish (idle keep-alive connections close) for up to
// --drain seconds, and exits 0.
using System.CommandLine;
using HttpServerDemo;

var listen = new Option<string>("--listen") { Description = "Where to listen: an endpoint string such as tcp:8080, tcp:0:interface=127.0.0.1 or unix:/run/http.sock.", DefaultValueFactory = _ => "tcp:8080" };
var path = new Option<string>("--path") { Description = "The folder whose files are served for every other path.", DefaultValueFactory = _ => "." };
var style = new Option<string>("--style") { Description = "rx (one Rx handler) or twisted (the same routes as a twisted.web-style Resource tree).", DefaultValueFactory = _ => "rx" };
style.AcceptOnlyFromAmong("rx", "twisted");
var drain = new Option<double>("--drain") { Description = "Seconds the exchanges in flight get to finish after SIGTERM before their connections are aborted.", DefaultValueFactory = _ => 10 };
var port = new Argument<int?>("port") { Description = "A bare port number: the same as --listen tcp:PORT.", Arity = ArgumentArity.ZeroOrOne };
var command = new RootCommand("RxNet HTTP server: /plaintext, /json, /echo, a WebSocket echo at /ws and static files.") { listen, path, style, drain, port };
command.SetAction(result =>
{
    string description = result.GetValue(port) is int p ? $"tcp:{p}" : result.GetValue(listen)!;
    string root = result.GetValue(path)!;
    if (!Directory.Exists(root))
    {
        Console.Error.WriteLine($"http server: --path {root}: no such folder");
        return 1;
    }
    try
    {
        return Server.Run(description, root, result.GetValue(style) == "twisted", TimeSpan.FromSeconds(result.GetValue(drain)));
    }
    catch (Exception e) when (e is FormatException or IOException)
    {
        Console.Error.WriteLine($"http server: {e.Message}");
        return 1;
    }
});
return command.Parse(args).Invoke();
