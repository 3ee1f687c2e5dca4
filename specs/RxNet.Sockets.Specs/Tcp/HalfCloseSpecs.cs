using System.Text;
using RxNet.Sockets.Internal;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>
/// Completing an output shuts down only the sending side: the other direction keeps working until
/// its own sender finishes, and <see cref="IConnection.Closed"/> tells who finished first.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HalfCloseSpecs
{
    [Fact]
    public async Task HalfClose_ClientFinishesFirst_ServerStillSendsThenBothCloseCleanly()
    {
        using var server = await LoopbackServer.StartAsync();
        using var client = await Peer.ConnectAsync(server.EndPoint);
        using var serverSide = await server.NextAsync();
        var serverIn = new InputCollector();
        var clientIn = new InputCollector();
        using var serverSubscription = serverSide.Input.Subscribe(serverIn);
        using var clientSubscription = client.Input.Subscribe(clientIn);

        client.Output.OnNext(Ascii("request"));
        client.Output.OnCompleted();

        var serverEnd = await serverIn.End.Within();
        Assert.Null(serverEnd.Error);
        Assert.Equal("request", Text(serverEnd.Bytes));
        Assert.False(clientIn.End.IsCompleted, "the client's input ended though the server had not finished sending");

        // The server's input is over, its output is not: it can still answer.
        serverSide.Output.OnNext(Ascii("answer sent after the client's FIN"));
        await clientIn.WhenReceived("answer sent after the client's FIN".Length);
        Assert.False(clientIn.End.IsCompleted, "the client's input ended before the server finished sending");
        Assert.Equal(0, ((SocketConnection)serverSide).Output.WritesAfterClose);

        serverSide.Output.OnCompleted();
        var clientEnd = await clientIn.End.Within();
        Assert.Null(clientEnd.Error);
        Assert.Equal("answer sent after the client's FIN", Text(clientEnd.Bytes));

        Assert.Equal(ConnectionCloseReason.LocalClose, (await client.ClosedWithin()).Reason);
        Assert.Equal(ConnectionCloseReason.PeerClose, (await serverSide.ClosedWithin()).Reason);
    }

    [Fact]
    public async Task HalfClose_ServerFinishesFirst_ClientKeepsSendingAndServerStillReceives()
    {
        using var server = await LoopbackServer.StartAsync();
        using var client = await Peer.ConnectAsync(server.EndPoint);
        using var serverSide = await server.NextAsync();
        var serverIn = new InputCollector();
        var clientIn = new InputCollector();
        using var serverSubscription = serverSide.Input.Subscribe(serverIn);
        using var clientSubscription = client.Input.Subscribe(clientIn);

        serverSide.Output.OnNext(Ascii("greeting"));
        serverSide.Output.OnCompleted();

        var clientEnd = await clientIn.End.Within();
        Assert.Null(clientEnd.Error);
        Assert.Equal("greeting", Text(clientEnd.Bytes));

        // The client's input is over, its output is not: it keeps sending.
        var upload = new byte[256 * 1024];
        new Random(7).NextBytes(upload);
        client.Output.OnNext(upload);
        await serverIn.WhenReceived(upload.Length);
        Assert.False(serverIn.End.IsCompleted, "the server's input ended before the client finished sending");

        client.Output.OnCompleted();
        var serverEnd = await serverIn.End.Within();
        Assert.Null(serverEnd.Error);
        Assert.Equal(upload, serverEnd.Bytes);

        Assert.Equal(ConnectionCloseReason.LocalClose, (await serverSide.ClosedWithin()).Reason);
        Assert.Equal(ConnectionCloseReason.PeerClose, (await client.ClosedWithin()).Reason);
    }

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

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);
}
