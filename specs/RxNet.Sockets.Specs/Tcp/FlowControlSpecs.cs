using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>
/// Flow control at a size only real sockets make interesting: a client that streams 32 MiB, honouring
/// <c>Writable</c>, while it reads an echo's answer never deadlocks with it (ADR 0003). (The bounded
/// echo queue and <c>Writable</c>'s turns are specs of the transport contract: see
/// <see cref="TcpTransportContractSpecs"/>.)
/// </summary>
[Trait("Category", "Integration")]
public sealed class FlowControlSpecs
{
    [Fact]
    public async Task Echo_RxNetClientStreamsWhileReadingTheEcho_DoesNotDeadlock()
    {
        const long Total = 32L * 1024 * 1024;
        using var server = await LoopbackServer.StartAsync(c => c.Input.Subscribe(c.Output));
        using var client = await Peer.ConnectAsync(server.EndPoint);
        var input = new ByteCounter();
        using var subscription = client.Input.Subscribe(input);

        var chunk = new byte[16 * 1024];
        long sent = 0;
        while (sent < Total)
        {
            client.Output.OnNext(chunk);
            sent += chunk.Length;
            if (client.Output.PendingBytes > ConnectionOptions.Default.HighWaterMark)
            {
                // Honour Writable, as the contract asks of a writer; this is where it hangs.
                await client.Output.Writable.FirstAsync(w => w).ToTask(Bounded.Cancel).Within();
            }
        }
        client.Output.OnCompleted();

        Assert.Equal(Total, await input.End.Within(Bounded.Long));
    }

    /// <summary>Counts the bytes of an input; <see cref="End"/> gives the total at completion.</summary>
    private sealed class ByteCounter : IObserver<ReadOnlyMemory<byte>>
    {
        private readonly TaskCompletionSource<long> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _count;

        public Task<long> End => _end.Task;

        public void OnNext(ReadOnlyMemory<byte> value) => _count += value.Length;

        public void OnError(Exception error) => _end.TrySetResult(-1);

        public void OnCompleted() => _end.TrySetResult(_count);
    }
}
