// The seed's echo server, in RxNet. Two styles of the same server:
//   --style rx       (default) the Rx way: every connection's input subscribed to its output, run as a
//                    hosted service on the .NET Generic Host. SIGTERM or Ctrl+C stops accepting, gives open
//                    connections --drain seconds to finish, aborts the rest and reports them.
//   --style twisted  the Twisted way: Protocol, Factory, reactor.Listen, reactor.Run; with --drain, the server is a
//                    service of an Application run by the reactor, drained on SIGTERM or Ctrl+C as above.
// --listen takes any endpoint string the reactor understands: tcp:PORT[:interface=ADDR], tcp6:, unix:PATH,
// haproxy:tcp:PORT, and udp:PORT (a datagram echo: each datagram goes back to its sender).
// Prints "listening <port or path>" once it accepts.
using System.CommandLine;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RxNet;
using RxNet.Hosting;
using RxNet.Sockets;
using RxNet.Twisted;

var listen = new Option<string>("--listen") { Description = "Where to listen: an endpoint string such as tcp:8000, tcp:0:interface=127.0.0.1, unix:/run/echo.sock or udp:9999.", DefaultValueFactory = _ => "tcp:8000" };
var style = new Option<string>("--style") { Description = "rx (an Rx pipeline on the Generic Host) or twisted (Protocol and Factory).", DefaultValueFactory = _ => "rx" };
style.AcceptOnlyFromAmong("rx", "twisted");
var drain = new Option<double?>("--drain") { Description = "Seconds open connections get to finish after SIGTERM before they are aborted (10 by default in the rx style; the twisted style drains only when given)." };
var noSignalHandlers = new Option<bool>("--no-signal-handlers") { Description = "Twisted style: run the reactor without its SIGINT/SIGTERM handlers (reactor.Run(installSignalHandlers: false)); with --drain, SIGTERM then exits the process and a ProcessExit handler stops the reactor, whose exit waits for the drain." };
var inlineIo = new Option<bool>("--inline-io") { Description = "Run socket completions on the I/O thread itself (like Kestrel's UnsafePreferInlineScheduling): faster, but a slow callback then delays every connection." };
var eagerReads = new Option<bool>("--eager-reads") { Description = "Read straight into a 16 KiB buffer per connection instead of waiting for data first: one system call less per read, about 16 KiB more per connection." };
var port = new Argument<int?>("port") { Description = "A bare port number: the same as --listen tcp:PORT.", Arity = ArgumentArity.ZeroOrOne };
var command = new RootCommand("RxNet echo server: sends back whatever it receives.") { listen, style, drain, noSignalHandlers, inlineIo, eagerReads, port };
command.SetAction(result =>
{
    string description = result.GetValue(port) is int p ? $"tcp:{p}" : result.GetValue(listen)!;
    if (result.GetValue(inlineIo))
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1"); // read when the first socket starts
    var options = TcpOptions.Default with { WaitForDataBeforeReading = !result.GetValue(eagerReads) };
    try
    {
        bool signals = !result.GetValue(noSignalHandlers);
        double? seconds = result.GetValue(drain);
        if (EndpointDescription.Parse(description).Scheme == "udp")
            return DatagramEcho.Run(options, description);
        if (result.GetValue(style) == "twisted")
        {
            return seconds is double twistedDrain
                ? TwistedStyle.RunApplication(options, description, TimeSpan.FromSeconds(twistedDrain), signals)
                : TwistedStyle.Run(options, description, signals);
        }
        return RxStyle.Run(options, description, TimeSpan.FromSeconds(seconds ?? 10));
    }
    catch (Exception e) when (e is FormatException or IOException)
    {
        Console.Error.WriteLine($"echo server: {e.Message}");
        return 1;
    }
});
return command.Parse(args).Invoke();

static class RxStyle
{
    public static int Run(TcpOptions options, string description, TimeSpan drain)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace); // stdout is for "listening"
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = drain + TimeSpan.FromSeconds(5));
        builder.Services.AddRxNetReactor(hosted => hosted with { WaitForDataBeforeReading = options.WaitForDataBeforeReading });
        builder.Services.AddRxNetServer(description,
            connection => connection.Input.Subscribe(connection.Output), // the whole echo protocol
            server => server.DrainTimeout = drain);
        using var host = builder.Build();
        host.Start(); // binds, or throws (bad string, port in use)
        var server = host.Services.GetRequiredService<RxNetServer>();
        Console.WriteLine($"listening {Listening.Describe(server.BoundEndPoint)}");
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping
            .Register(() => Console.WriteLine($"draining {server.OpenConnections} connections for up to {drain.TotalSeconds} s"));
        host.WaitForShutdown(); // SIGTERM or Ctrl+C: stop accepting, drain, abort the rest
        Console.WriteLine($"stopped: {server.LastDrain}");
        return 0;
    }
}

static class DatagramEcho
{
    public static int Run(TcpOptions options, string description)
    {
        using var reactor = new SocketReactor(options);
        using var bound = reactor.DatagramEndpoint(description).Bind().Subscribe(socket =>
        {
            reactor.CallWhenRunning(() => Console.WriteLine($"listening {Listening.Describe(socket.LocalEndPoint)}")); // signal handlers in place
            socket.Input.Subscribe(socket.Output); // each datagram carries its sender: the reply goes back there
        }, error => { Console.Error.WriteLine($"echo server: {error.Message}"); reactor.Stop(); });
        reactor.Run(); // until SIGTERM or Ctrl+C
        return 0;
    }
}

static class Listening
{
    /// <summary>The port of an IP endpoint (what the specs and scripts read), else the address as it is (a socket path).</summary>
    public static string Describe(EndPoint? endPoint) => endPoint is IPEndPoint ip ? ip.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{endPoint}";
}
