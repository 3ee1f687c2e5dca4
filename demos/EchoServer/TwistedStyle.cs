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
using RxNet.Sockets;
using RxNet.Twisted;

static class TwistedStyle
{
    public static int Run(TcpOptions options, string description)
    {
        using var reactor = new SocketReactor(options);
        using var stop = new StopOnSignals(reactor);
        using var port = reactor.Listen(description, new EchoFactory());
        Console.WriteLine($"listening {Listening.Describe(port.Host)}");
        reactor.Run();
        return 0;
    }
}
