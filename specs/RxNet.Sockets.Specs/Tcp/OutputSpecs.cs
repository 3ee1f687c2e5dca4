using System.Text;
using RxNet.Sockets.Internal;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>The output's write contract: copies, coalescing, and harmless writes after the end.</summary>
[Trait("Category", "Integration")]
public sealed class OutputSpecs
{
    [Fact]
    public async Task Output_WriteAfterOnCompleted_IsIgnoredAndCounted()
    {
        using var server = await LoopbackServer.StartAsync();
        using var client = await Peer.ConnectAsync(server.EndPoint);
        using var serverSide = await server.NextAsync();
        var serverInput = new InputCollector();
        using var subscription = serverSide.Input.Subscribe(serverInput);

        client.Output.OnNext("sent"u8.ToArray());
        client.Output.OnCompleted();
        var error = Record.Exception(() =>
        {
            client.Output.OnNext("too late"u8.ToArray());
            client.Output.OnNext("still too late"u8.ToArray());
            client.Output.OnCompleted();
        });

        Assert.Null(error);
        Assert.Equal(2, ((SocketConnection)client).Output.WritesAfterClose);
        var end = await serverInput.End.Within();
        Assert.Null(end.Error);
        Assert.Equal("sent", Encoding.ASCII.GetString(end.Bytes));
    }

    [Fact]
    public async Task Output_WriteAfterDispose_IsIgnoredAndCounted()
    {
        using var server = await LoopbackServer.StartAsync();
        using var client = await Peer.ConnectAsync(server.EndPoint);

        client.Dispose();
        var error = Record.Exception(() => client.Output.OnNext("after abort"u8.ToArray()));

        Assert.Null(error);
        Assert.Equal(1, ((SocketConnection)client).Output.WritesAfterClose);
        Assert.Equal(0, client.Output.PendingBytes);
    }

    [Fact]
    public async Task Output_ManyWritesInOneInputNotification_LeaveInOneSend()
    {
        // Enough writes, with the processor offered to other threads now and then, that a flush
        // scheduled on the thread pool, were there one, would start before the turn ends.
        const int Pieces = 8000;
        var writes = 0;
        using var server = await LoopbackServer.StartAsync(c => c.Input.Subscribe(
            _ =>
            {
                for (int i = 0; i < Pieces; i++)
                {
                    c.Output.OnNext(Encoding.ASCII.GetBytes($"{i:D4},"));
                    writes++;
                    if (i % 500 == 0)
                        Thread.Yield();
                }
            },
            c.Output.OnError,
            c.Output.OnCompleted));
        using var peer = await Peer.ConnectRawAsync(server.EndPoint);
        var serverSide = (SocketConnection)await server.NextAsync();

        await peer.SendAllAsync("!"u8.ToArray()); // one byte: exactly one input notification
        var reply = await peer.ReadExactlyAsync(Pieces * 5).Within();

        Assert.Equal(string.Concat(Enumerable.Range(0, Pieces).Select(i => $"{i:D4},")), Encoding.ASCII.GetString(reply));
        Assert.Equal(Pieces, writes);
        Assert.Equal(1, serverSide.Output.Sends);
    }
}
