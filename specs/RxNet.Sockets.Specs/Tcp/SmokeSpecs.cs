using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

[Trait("Category", "Integration")]
public sealed class SmokeSpecs
{
    [Fact]
    public async Task Echo_RoundTripsHello()
    {
        var endpoint = new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0));
        var bound = new TaskCompletionSource<EndPoint>();
        using var server = endpoint.Listen(bound.SetResult).Subscribe(c => c.Input.Subscribe(c.Output));
        var port = ((IPEndPoint)await bound.Task).Port;
        using var client = await new TcpClientEndpoint("127.0.0.1", port).Connect();
        var received = client.Input.Aggregate(new List<byte>(), (acc, m) => { acc.AddRange(m.ToArray()); return acc; }).ToTask();
        client.Output.OnNext(Encoding.ASCII.GetBytes("hello"));
        client.Output.OnCompleted();
        var bytes = await received.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("hello", Encoding.ASCII.GetString(bytes.ToArray()));
        var closed = await client.Closed.ToTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(ConnectionCloseReason.LocalClose, closed.Reason);
    }
}
