// The seed's Twisted echo server, line for line:
//
//   class Echo(Protocol):                         sealed class Echo : Protocol
//       def dataReceived(self, data):                 DataReceived(data) => Transport.Write(data)
//           self.transport.write(data)
//   factory = Factory(); factory.protocol = Echo  sealed class EchoFactory : Factory
//   reactor.listenTCP(8000, factory)              reactor.ListenTcp(8000, new EchoFactory())
//   reactor.run()                                 reactor.Run()
//
// Echo and EchoFactory are in Echo.cs.
using System.Net;
using RxNet;
using RxNet.Sockets;
using RxNet.Twisted;

static class TwistedStyle
{
    public static IDisposable Listen(IReactor reactor, string description)
    {
        var endpoint = TcpServerEndpoint.Parse(description);
        var port = reactor.ListenTcp(endpoint.EndPoint.Port, new EchoFactory(), @interface: endpoint.EndPoint.Address.ToString());
        Console.WriteLine($"listening {((IPEndPoint)port.Host).Port}");
        return port;
    }
}
