using System.Text;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>
/// <see cref="IConnection.Closed"/> tells who finished first, however the two FINs race on real sockets.
/// (Half-close itself, in both directions, is a spec of the transport contract: see
/// <see cref="TcpTransportContractSpecs"/>.)
/// </summary>
[Trait("Category", "Integration")]
public sealed class HalfCloseSpecs
{
    [Fact]
    public async Task Closed_OutputCompletedFromInputOnCompleted_ReportsPeerClose()
    {
        using var server = await LoopbackServer.StartAsync();
        using var client = await Peer.ConnectAsync(server.EndPoint);
        using var serverSide = await server.NextAsync();
        var clientIn = new InputCollector();
        using var clientSubscription = client.Input.Subscribe(clientIn);
        using var serverSubscription = serverSide.Input.Subscribe(
            _ => { },
            _ => { },
            () =>
            {
                // The usual "peer is done, so am I". Returning only once the peer has seen our FIN
                // makes the race in RxNet's bookkeeping come out the same way every time.
                serverSide.Output.OnCompleted();
                clientIn.End.Wait(Bounded.Short, TestContext.Current.CancellationToken);
            });

        client.Output.OnCompleted(); // the client finishes first

        Assert.Equal(ConnectionCloseReason.LocalClose, (await client.ClosedWithin()).Reason);
        Assert.Equal(ConnectionCloseReason.PeerClose, (await serverSide.ClosedWithin()).Reason);
    }

    [Fact]
    public async Task Closed_ClientFinishesFirstOnManyConnections_ReportsLocalCloseOnEveryOne()
    {
        using var server = await LoopbackServer.StartAsync(c => c.Input.Subscribe(c.Output), options: new TcpOptions { Backlog = 1024 });
        var reasons = new List<ConnectionClosed>();
        for (int round = 0; round < 5; round++)
        {
            var clients = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => Peer.ConnectAsync(server.EndPoint))).Within(Bounded.Long);
            try
            {
                foreach (var client in clients)
                {
                    client.Input.Subscribe(new InputCollector());
                    client.Output.OnNext(Ascii("x"));
                    client.Output.OnCompleted();
                }
                reasons.AddRange(await Task.WhenAll(clients.Select(c => c.ClosedWithin(Bounded.Long))).Within(Bounded.Long));
            }
            finally
            {
                foreach (var client in clients)
                    client.Dispose();
            }
        }

        var wrong = reasons.Where(r => r.Reason != ConnectionCloseReason.LocalClose).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {reasons.Count} clients that finished first were closed with {string.Join(", ", wrong.Select(r => r.Reason).Distinct())}");
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
