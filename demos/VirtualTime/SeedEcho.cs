using System.Reactive.Linq;
using System.Text;
using RxNet;
using RxNet.Twisted;

/// <summary>The seed's echo on two simulated hosts: the same code as on real sockets, driven by virtual time.</summary>
static class SeedEcho
{
    public static void Run(Timeline timeline)
    {
        var network = timeline.Network;
        network.Link("client", "server", new RxNet.Testing.LinkOptions { Latency = TimeSpan.FromMilliseconds(20), MaxSegmentSize = 8 });
        using var port = network.Host("server").Reactor.ListenTcp(8000, new EchoFactory());

        // The seed's client, Rx style (demos/EchoClient): send, half-close, read until the end.
        network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect().Subscribe(connection =>
        {
            connection.Input
                .Aggregate(new List<byte>(), (bytes, chunk) => { bytes.AddRange(chunk.Span); return bytes; })
                .Subscribe(bytes => timeline.Note($"client: Received: {Encoding.UTF8.GetString([.. bytes]).TrimEnd('\n')}"));
            connection.Closed.Subscribe(closed => timeline.Note($"client: closed ({closed.Reason})"));
            connection.Output.OnNext("Hello, RxNet Server!\n"u8.ToArray());
            connection.Output.OnCompleted();
        });
        network.Scheduler.Start();
    }
}
