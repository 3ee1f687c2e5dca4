using System.Net;
using System.Reactive.Linq;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>The specs that count this process's sockets run alone, after every other spec.</summary>
[CollectionDefinition("Sockets count", DisableParallelization = true)]
public sealed class SocketsCountGroup;

/// <summary>
/// Nothing outlives its owner: disposing a listener or a connection, or closing a connection
/// cleanly, releases the socket (counted in <c>/proc/self/fd</c>).
/// </summary>
[Collection("Sockets count")]
[Trait("Category", "Integration")]
public sealed class SocketReleaseSpecs
{
    [Fact]
    public async Task Listener_Disposed_ReleasesItsSocketAndRefusesConnections()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "counts descriptors in /proc/self/fd");
        var before = SocketDescriptors.Snapshot();

        var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0))
            .Listen(bound.SetResult)
            .Subscribe(c => c.Dispose(), _ => { });
        int port = ((IPEndPoint)await bound.Task.Within()).Port;
        Assert.Equal(1, SocketDescriptors.OpenedSince(before));

        listener.Dispose();

        Assert.Equal(0, await SocketDescriptors.WaitForOpenedSinceAsync(before, 0));
        Assert.Empty(SocketDescriptors.Snapshot().Except(before));
        var refused = await Assert.ThrowsAsync<ConnectionRefusedException>(
            () => new TcpClientEndpoint(IPAddress.Loopback.ToString(), port).Connect().FirstWithin());
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await SocketDescriptors.WaitForOpenedSinceAsync(before, 0)); // the failed attempt's socket too
    }

    [Fact]
    public async Task Connection_Disposed_ReleasesBothEndsSockets()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "counts descriptors in /proc/self/fd");
        var before = SocketDescriptors.Snapshot();
        var server = await LoopbackServer.StartAsync();
        var client = await Peer.ConnectAsync(server.EndPoint);
        var serverSide = await server.NextAsync();
        var serverInput = new InputCollector();
        using var subscription = serverSide.Input.Subscribe(serverInput);
        Assert.Equal(3, SocketDescriptors.OpenedSince(before)); // listener, client, accepted

        client.Dispose();

        Assert.Equal(ConnectionCloseReason.Aborted, (await client.ClosedWithin()).Reason);
        Assert.Equal(ConnectionCloseReason.Reset, (await serverSide.ClosedWithin()).Reason);
        Assert.Equal(1, await SocketDescriptors.WaitForOpenedSinceAsync(before, 1));

        server.Dispose();
        Assert.Equal(0, await SocketDescriptors.WaitForOpenedSinceAsync(before, 0));
        Assert.Empty(SocketDescriptors.Snapshot().Except(before));
    }

    [Fact]
    public async Task Connection_ClosedCleanlyByBothSides_ReleasesBothEndsSockets()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "counts descriptors in /proc/self/fd");
        var before = SocketDescriptors.Snapshot();
        var server = await LoopbackServer.StartAsync(c => c.Input.Subscribe(c.Output));
        var client = await Peer.ConnectAsync(server.EndPoint);
        var serverSide = await server.NextAsync();
        var clientInput = new InputCollector();
        using var subscription = client.Input.Subscribe(clientInput);
        Assert.Equal(3, SocketDescriptors.OpenedSince(before));

        client.Output.OnNext("bye"u8.ToArray());
        client.Output.OnCompleted();

        Assert.Equal("bye"u8.ToArray(), (await clientInput.End.Within()).Bytes);
        Assert.True((await client.ClosedWithin()).IsClean);
        Assert.True((await serverSide.ClosedWithin()).IsClean);
        Assert.Equal(1, await SocketDescriptors.WaitForOpenedSinceAsync(before, 1));

        server.Dispose();
        Assert.Equal(0, await SocketDescriptors.WaitForOpenedSinceAsync(before, 0));
        Assert.Empty(SocketDescriptors.Snapshot().Except(before));
    }

    [Fact]
    public async Task Connect_Refused_LeavesNoSocketBehind()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "counts descriptors in /proc/self/fd");
        // A port bound but not listening: refused, and no other socket can take it meanwhile.
        using var placeholder = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        placeholder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var before = SocketDescriptors.Snapshot();

        for (int i = 0; i < 20; i++)
        {
            await Assert.ThrowsAsync<ConnectionRefusedException>(
                () => new TcpClientEndpoint((IPEndPoint)placeholder.LocalEndPoint!).Connect().FirstWithin());
        }

        Assert.Equal(0, await SocketDescriptors.WaitForOpenedSinceAsync(before, 0));
    }
}
