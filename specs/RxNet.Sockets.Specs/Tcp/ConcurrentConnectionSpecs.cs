using System.Buffers.Binary;
using System.Collections.Concurrent;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>Many connections at once stay apart: each gets back exactly its own bytes.</summary>
[Trait("Category", "Integration")]
public sealed class ConcurrentConnectionSpecs
{
    private const int Connections = 1000;

    [Fact]
    public async Task Echo_1000ConcurrentConnections_EachGetsExactlyItsOwnBytes()
    {
        var serverClosed = new ConcurrentBag<Task<ConnectionClosed>>();
        using var server = await LoopbackServer.StartAsync(
            c =>
            {
                serverClosed.Add(c.ClosedWithin(Bounded.Long));
                c.Input.Subscribe(c.Output);
            },
            options: new TcpOptions { Backlog = Connections });
        var clients = new IConnection[Connections];
        try
        {
            // Open all of them first, so that all 1000 are open at the same time.
            var connecting = Enumerable.Range(0, Connections).Select(_ => Peer.ConnectAsync(server.EndPoint, timeout: Bounded.Long)).ToArray();
            foreach (var (connection, i) in (await Task.WhenAll(connecting).Within(Bounded.Long)).Select((c, i) => (c, i)))
                clients[i] = connection;
            Assert.Equal(Connections, clients.Distinct().Count());

            var collectors = new InputCollector[Connections];
            var payloads = new byte[Connections][];
            for (int i = 0; i < Connections; i++)
            {
                payloads[i] = Payload(i);
                collectors[i] = new InputCollector();
                clients[i].Input.Subscribe(collectors[i]);
            }
            Parallel.For(0, Connections, i =>
            {
                // Two writes, so that interleaving across connections would show.
                int half = payloads[i].Length / 2;
                clients[i].Output.OnNext(payloads[i].AsMemory(0, half));
                clients[i].Output.OnNext(payloads[i].AsMemory(half));
                clients[i].Output.OnCompleted();
            });

            var ends = await Task.WhenAll(collectors.Select(c => c.End)).Within(Bounded.Long);
            for (int i = 0; i < Connections; i++)
            {
                Assert.Null(ends[i].Error);
                Assert.True(payloads[i].AsSpan().SequenceEqual(ends[i].Bytes),
                    $"connection {i} sent {payloads[i].Length} bytes and got back {ends[i].Bytes.Length} bytes that differ");
                Assert.Equal(0, collectors[i].Overlaps);
                Assert.Equal(0, collectors[i].EmptyChunks);
            }
            Assert.Equal(Connections, server.AcceptedCount);

            var clientReasons = await Task.WhenAll(clients.Select(c => c.ClosedWithin(Bounded.Long))).Within(Bounded.Long);
            var serverReasons = await Task.WhenAll(serverClosed).Within(Bounded.Long);
            Assert.All(clientReasons, r => Assert.True(r.IsClean, r.ToString()));
            Assert.All(serverReasons, r => Assert.True(r.IsClean, r.ToString()));
        }
        finally
        {
            foreach (var client in clients)
                client?.Dispose();
        }
    }

    /// <summary>Distinct bytes for connection <paramref name="index"/>: its number, then seeded noise of a seeded length.</summary>
    private static byte[] Payload(int index)
    {
        var random = new Random(index);
        var payload = new byte[4 + random.Next(1, 16 * 1024)];
        BinaryPrimitives.WriteInt32BigEndian(payload, index);
        random.NextBytes(payload.AsSpan(4));
        return payload;
    }
}
