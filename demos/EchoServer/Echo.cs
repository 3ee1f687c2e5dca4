// The seed's echo protocol, Twisted style. demos/VirtualTime compiles this very file too, to run it
// on the simulated network.
using System.Net;
using RxNet.Twisted;

sealed class Echo : Protocol
{
    public override void DataReceived(ReadOnlyMemory<byte> data) => Transport.Write(data);
}

sealed class EchoFactory : Factory
{
    public override Protocol BuildProtocol(EndPoint? address) => new Echo();
}
