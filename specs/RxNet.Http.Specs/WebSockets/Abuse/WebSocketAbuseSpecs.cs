namespace RxNet.Http.Specs.WebSockets.Abuse;

/// <summary>
/// Peers that try to make the server hold memory, over real sockets on 127.0.0.1: a message announced far above the
/// limit, a client that sends without ever reading the echo, clients that reset in the middle of a message. Every wait
/// is on an event (a close frame, a connection's end, the output's writability), bounded.
/// </summary>
[Collection(AbuseRunsAlone.Name)]
[Trait("Category", "Integration")]
public sealed class WebSocketAbuseSpecs
{
    private const int HighWaterMark = 64 * 1024; // the connection output's, above which an echo stops reading
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task AnnouncedGigabyteMessage_IsRefusedWith1009AndTheServerGrowsByLessThan4MiB()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc/self/status");
        using var server = new LoopbackWebSocketServer();
        Assert.Equal(1009, await AnnounceAGigabyteAsync(server)); // once first: code paths and pools warm
        await server.AllClosed().Within();
        var before = ProcessMemory.Settled();

        int code = await AnnounceAGigabyteAsync(server);
        await server.AllClosed().Within();
        var after = ProcessMemory.Settled();

        Assert.Equal(1009, code);
        // A buffer sized from the header would allocate 1 GiB; touching it would make it resident.
        long allocated = after.Allocated - before.Allocated, resident = after.ResidentAnonymous - before.ResidentAnonymous;
        Assert.True(allocated < 4 * MiB, $"{allocated} bytes allocated");
        Assert.True(resident < 4 * MiB, $"resident memory grew by {resident} bytes");
    }

    [Fact]
    public async Task ClientThatNeverReadsTheEcho_TheServerHoldsAtMostTheHighWaterMarkPlusOneMessage()
    {
        const int MessageSize = 64 * 1024;
        long maxPending = 0, received = 0;
        using var server = new LoopbackWebSocketServer(socket => socket.Messages.Subscribe(message =>
        {
            socket.Send.OnNext(message);
            InterlockedMax(ref maxPending, socket.Send.PendingBytes);
            Interlocked.Add(ref received, message.Data.Length);
        }, _ => { }));
        var client = await RawWebSocketClient.OpenAsync(server.EndPoint);
        byte[] frame = WireFrames.Frame(2, new byte[MessageSize].Select((_, i) => (byte)i).ToArray());

        long sent = await Task.Run(() => client.SendUntilStalled(frame, 256 * MiB / MessageSize, TimeSpan.FromSeconds(3))).Within();
        client.Reset();
        await server.AllClosed().Within();

        long bound = HighWaterMark + frame.Length; // the mark, plus one message with its header
        Assert.True(sent < 256 * MiB, "the client sent all 256 MiB: the server took them without the echo being read");
        Assert.True(Interlocked.Read(ref maxPending) <= bound, $"the server held {maxPending} bytes for the client (bound {bound})");
        Assert.True(Interlocked.Read(ref received) <= sent);
    }

    [Fact]
    public async Task TwoHundredClientsResettingMidMessage_LeaveNoSocketDescriptorOrMemoryBehind()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "counts /proc/self/fd");
        using var server = new LoopbackWebSocketServer(); // keep-alive on: its timers must not hold a closed socket
        await ResetMidMessageAsync(server, 200); // once first: code paths warm, tables grown to 200 (descriptors, timers)
        var before = ProcessMemory.Settled();

        await ResetMidMessageAsync(server, 200);
        int descriptors = await ProcessMemory.WaitForFileDescriptorsAsync(before.FileDescriptors);
        var after = ProcessMemory.Settled();

        long live = after.Live - before.Live;
        Assert.Equal(0, server.OpenConnections);
        Assert.Equal(before.FileDescriptors, descriptors);
        Assert.Equal(400, server.SocketsOpened);
        Assert.Equal(0, server.SocketsAlive); // every WebSocket collected: nothing holds one
        // A leaked socket holds its connection too, some kilobytes: 200 of them would be far above this. (Resident memory
        // is not asserted here: the collector keeps freed pages for reuse, so it does not go back to where it was.)
        Assert.True(live < 256 * 1024, $"live objects grew by {live} bytes after 200 connections were gone");
    }

    private static async Task<int> AnnounceAGigabyteAsync(LoopbackWebSocketServer server)
    {
        using var client = await RawWebSocketClient.OpenAsync(server.EndPoint);
        await client.SendAsync(WireFrames.Concat(RawWebSocketClient.Header(2, 1UL << 30), new byte[64 * 1024]));
        return await client.ReadCloseCodeAsync();
    }

    private static async Task ResetMidMessageAsync(LoopbackWebSocketServer server, int clients)
    {
        byte[] halfAMessage = WireFrames.Concat(RawWebSocketClient.Header(2, 1000), new byte[100]);
        for (int i = 0; i < clients; i++)
        {
            var client = await RawWebSocketClient.OpenAsync(server.EndPoint);
            await client.SendAsync(halfAMessage);
            client.Reset();
        }
        await server.AllClosed().Within();
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            long was = Interlocked.CompareExchange(ref target, value, seen);
            if (was == seen)
                return;
            seen = was;
        }
    }
}
