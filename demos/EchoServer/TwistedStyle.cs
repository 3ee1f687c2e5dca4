// The seed's Twisted echo server, line for line:
//
//   class Echo(Protocol):                         sealed class Echo : Protocol
//       def dataReceived(self, data):                 DataReceived(data) => Transport.Write(data)
//           self.transport.write(data)
//   factory = Factory(); factory.protocol = Echo  sealed class EchoFactory : Factory
//   reactor.listenTCP(8000, factory)              reactor.ListenTcp(8000, new EchoFactory())
//   reactor.run()                                 reactor.Run()
using System.Net;
using RxNet;
using RxNet.Sockets;
using RxNet.Twisted;

sealed class Echo : Protocol
{
    public override void DataReceived(ReadOnlyMemory<byte> data) => Transport.Write(data);
}

sealed class EchoFactory : Factory
{
    public override Protocol BuildProtocol(EndPoint? address) => new Echo();
}

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
