// The seed's Twisted echo client, line for line:
//
//   class EchoClient(Protocol):                   sealed class EchoClient : Protocol
//       def connectionMade(self):                     ConnectionMade()
//           self.transport.write(b"Hello...")             Transport.Write("Hello, RxNet Server!\n")
//       def dataReceived(self, data):                 DataReceived(data)
//           print("Received:", data)                      Console.Write($"Received: {data}")
//           self.transport.loseConnection()               Transport.LoseConnection()
//   class EchoFactory(ClientFactory): ...         sealed class EchoClientFactory : ClientFactory
//   reactor.connectTCP("localhost", 8000, f)      reactor.Connect("tcp:host=localhost:port=8000", factory)
//   reactor.run()                                 reactor.Run()
using System.Net;
using System.Text;
using RxNet;
using RxNet.Twisted;

sealed class EchoClient : Protocol
{
    public override void ConnectionMade() => Transport.Write("Hello, RxNet Server!\n"u8.ToArray());

    public override void DataReceived(ReadOnlyMemory<byte> data)
    {
        Console.Write($"Received: {Encoding.UTF8.GetString(data.Span)}");
        Transport.LoseConnection();
    }
}

sealed class EchoClientFactory(IReactor reactor) : ClientFactory
{
    public bool Failed { get; private set; }

    public override Protocol BuildProtocol(EndPoint? address) => new EchoClient();

    public override void ClientConnectionFailed(IConnector connector, Exception reason)
    {
        Console.WriteLine($"Connection failed: {reason.Message}");
        Failed = true;
        reactor.Stop();
    }

    public override void ClientConnectionLost(IConnector connector, ConnectionClosed reason)
    {
        Console.WriteLine($"Connection lost: {reason}");
        reactor.Stop();
    }
}

static class TwistedStyle
{
    public static int Run(IReactor reactor, string description)
    {
        var factory = new EchoClientFactory(reactor);
        reactor.Connect(description, factory); // Twisted's clientFromString(reactor, description).connect(factory)
        reactor.Run();
        return factory.Failed ? 1 : 0;
    }
}
