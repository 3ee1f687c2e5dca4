using System.Net.Sockets;
using System.Text;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>Aborts: Dispose resets the peer, and a throwing subscriber costs only its own connection.</summary>
[Trait("Category", "Integration")]
public sealed class AbortSpecs
{
    [Fact]
    public async Task Dispose_WithPendingOutput_ResetsPeerAndReportsAborted()
    {
        using var server = await LoopbackServer.StartAsync();
        using var peer = await Peer.ConnectRawAsync(server.EndPoint);
        var connection = await server.NextAsync();
        var input = new InputCollector();
        using var subscription = connection.Input.Subscribe(input);

        // The peer reads nothing, and 64 MiB is far more than the kernel buffers on the way.
        var chunk = new byte[1024 * 1024];
        for (int i = 0; i < 64; i++)
            connection.Output.OnNext(chunk);
        Assert.True(connection.Output.PendingBytes > 0, "nothing was pending, so this would not show an abort");

        connection.Dispose();

        var closed = await connection.ClosedWithin();
        Assert.Equal(ConnectionCloseReason.Aborted, closed.Reason);
        Assert.False(closed.IsClean);
        Assert.IsType<ConnectionAbortedException>((await input.End.Within()).Error);
        Assert.Equal(0, connection.Output.PendingBytes);
        var reset = await Assert.ThrowsAsync<SocketException>(() => peer.ReadToEndAsync().Within());
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);

        connection.Dispose(); // idempotent
        Assert.Equal(ConnectionCloseReason.Aborted, (await connection.ClosedWithin()).Reason);
    }

    [Fact]
    public async Task Input_SubscriberThrows_AbortsThatConnectionOnlyWithReasonError()
    {
        var boom = new InvalidOperationException("the subscriber failed");
        using var server = await LoopbackServer.StartAsync(c => c.Input.Subscribe(
            chunk =>
            {
                if (chunk.Span.IndexOf((byte)'!') >= 0)
                    throw boom;
                c.Output.OnNext(chunk);
            },
            _ => { },
            c.Output.OnCompleted));
        using var victim = await Peer.ConnectAsync(server.EndPoint);
        var victimSide = await server.NextAsync();
        using var bystander = await Peer.ConnectAsync(server.EndPoint);
        var bystanderSide = await server.NextAsync();
        var victimInput = new InputCollector();
        var bystanderInput = new InputCollector();
        using var victimSubscription = victim.Input.Subscribe(victimInput);
        using var bystanderSubscription = bystander.Input.Subscribe(bystanderInput);

        victim.Output.OnNext("boom!"u8.ToArray());

        var closed = await victimSide.ClosedWithin();
        Assert.Equal(ConnectionCloseReason.Error, closed.Reason);
        Assert.Same(boom, closed.Error);
        Assert.IsType<ConnectionResetException>((await victimInput.End.Within()).Error);

        // The server goes on: the other connection still echoes, and new ones are accepted.
        bystander.Output.OnNext("still served"u8.ToArray());
        bystander.Output.OnCompleted();
        Assert.Equal("still served", Encoding.ASCII.GetString((await bystanderInput.End.Within()).Bytes));
        Assert.True((await bystanderSide.ClosedWithin()).IsClean);

        using var latecomer = await Peer.ConnectAsync(server.EndPoint);
        var latecomerInput = new InputCollector();
        using var latecomerSubscription = latecomer.Input.Subscribe(latecomerInput);
        latecomer.Output.OnNext("hello"u8.ToArray());
        latecomer.Output.OnCompleted();
        Assert.Equal("hello", Encoding.ASCII.GetString((await latecomerInput.End.Within()).Bytes));
    }
}
