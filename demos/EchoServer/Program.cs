// The seed's echo server, in RxNet. Two styles of the same server:
//   --style rx       (default) the Rx way: every connection's input subscribed to its output.
//   --style twisted  the Twisted way: Protocol, Factory, reactor.ListenTcp, reactor.Run.
// Prints "listening <port>" once it accepts; Ctrl+C or SIGTERM stops it cleanly.
using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using RxNet;
using RxNet.Sockets;

var listen = new Option<string>("--listen") { Description = "Where to listen: tcp:PORT or tcp:PORT:interface=ADDR.", DefaultValueFactory = _ => "tcp:8000" };
var style = new Option<string>("--style") { Description = "rx (an Rx pipeline) or twisted (Protocol and Factory).", DefaultValueFactory = _ => "rx" };
style.AcceptOnlyFromAmong("rx", "twisted");
var inlineIo = new Option<bool>("--inline-io") { Description = "Run socket completions on the I/O thread itself (like Kestrel's UnsafePreferInlineScheduling): faster, but a slow callback then delays every connection." };
var eagerReads = new Option<bool>("--eager-reads") { Description = "Read straight into a 16 KiB buffer per connection instead of waiting for data first: one system call less per read, about 16 KiB more per connection." };
var port = new Argument<int?>("port") { Description = "A bare port number: the same as --listen tcp:PORT.", Arity = ArgumentArity.ZeroOrOne };
var command = new RootCommand("RxNet echo server: sends back whatever it receives.") { listen, style, inlineIo, eagerReads, port };
command.SetAction(result =>
{
    string description = result.GetValue(port) is int p ? $"tcp:{p}" : result.GetValue(listen)!;
    if (result.GetValue(inlineIo))
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1"); // read when the first socket starts
    using var reactor = new SocketReactor(TcpOptions.Default with { WaitForDataBeforeReading = !result.GetValue(eagerReads) });
    using var stopOnTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; reactor.Stop(); });
    using var stopOnInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; reactor.Stop(); });
    try
    {
        using var server = result.GetValue(style) == "twisted"
            ? TwistedStyle.Listen(reactor, description)
            : RxStyle.Listen(reactor, description);
        reactor.Run();
    }
    catch (Exception e) when (e is FormatException or IOException)
    {
        Console.Error.WriteLine($"echo server: {e.Message}");
        return 1;
    }
    return 0;
});
return command.Parse(args).Invoke();

static class RxStyle
{
    public static IDisposable Listen(IReactor reactor, string description) =>
        reactor.ServerEndpoint(description)
            .Listen(bound => Console.WriteLine($"listening {((IPEndPoint)bound).Port}"))
            .Subscribe(connection => connection.Input.Subscribe(connection.Output)); // the whole echo protocol
}
