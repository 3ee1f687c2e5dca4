// The seed's Twisted echo server, line for line:
//
//   class Echo(Protocol):                         sealed class Echo : Protocol
//       def dataReceived(self, data):                 DataReceived(data) => Transport.Write(data)
//           self.transport.write(data)
//   factory = Factory(); factory.protocol = Echo  sealed class EchoFactory : Factory
//   reactor.listenTCP(8000, factory)              reactor.Listen("tcp:8000", new EchoFactory())
//   reactor.run()                                 reactor.Run()
//
// (reactor.Listen takes any endpoint string: Twisted's serverFromString(reactor, d).listen(factory).)
// Echo and EchoFactory are in Echo.cs.
//
// With --drain, the twistd way instead: the server is a service of an Application that the reactor starts when
// it runs and stops before it shuts down. reactor.Run() stops on SIGTERM or Ctrl+C, and the shutdown waits for the
// service's drain (open connections get --drain seconds to finish, the rest are aborted and reported).
using System.Reactive.Linq;
using System.Runtime.InteropServices;
using RxNet;
using RxNet.Sockets;
using RxNet.Twisted;

static class TwistedStyle
{
    public static int Run(TcpOptions options, string description, bool installSignalHandlers)
    {
        using var reactor = new SocketReactor(options);
        using var port = reactor.Listen(description, new EchoFactory());
        reactor.CallWhenRunning(() => Console.WriteLine($"listening {Listening.Describe(port.Host)}")); // signal handlers in place
        reactor.Run(installSignalHandlers); // SIGTERM or Ctrl+C stops it (unless the handlers are off)
        return 0;
    }

    public static int RunApplication(TcpOptions options, string description, TimeSpan drain, bool installSignalHandlers)
    {
        using var reactor = new SocketReactor(options);
        var application = new Application("echo");
        using var server = StreamServerEndpointService.Create(reactor.ServerEndpoint(description), new EchoFactory(), reactor.Scheduler);
        server.AsService(drain).SetServiceParent(application);
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Shutdown,
            () => Console.WriteLine($"draining {server.OpenConnections} connections for up to {drain.TotalSeconds} s"));
        reactor.AddSystemEventTrigger(SystemEventPhase.After, SystemEventType.Shutdown,
            () => Console.WriteLine($"stopped: {server.Stop(drain).Wait()}")); // the drain is over by now: this replays its report
        using var running = reactor.StartApplication(application);
        reactor.CallWhenRunning(() => Console.WriteLine($"listening {Listening.Describe(server.BoundEndPoint)}"));
        using var exitOnTerm = installSignalHandlers ? null : ExitOnSigterm(reactor);
        reactor.Run(installSignalHandlers); // returns once the application has stopped: drained or aborted
        return 0;
    }

    // A program that handles signals itself, as .NET 10 recommends (the runtime no longer turns SIGTERM into an exit):
    // SIGTERM exits the process, and a ProcessExit handler stops the reactor. The exit then waits for the drain.
    private static PosixSignalRegistration ExitOnSigterm(SocketReactor reactor)
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => reactor.Stop();
        return PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Environment.Exit(0));
    }
}
