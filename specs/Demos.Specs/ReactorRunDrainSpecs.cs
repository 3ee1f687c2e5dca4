using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Xunit;
using static Demos.Specs.EchoDrainSpecs;

namespace Demos.Specs;

/// <summary>The Twisted-style echo server run by <c>reactor.Run()</c>, its server a service of an <c>Application</c>:
/// SIGTERM stops the reactor through its shutdown, which waits for the server's drain, and the process exits 0.
/// With the reactor's signal handlers off, the demo handles SIGTERM itself as .NET 10 recommends
/// (<c>Environment.Exit</c>) and stops the reactor from <c>ProcessExit</c>: the exit must not cut the drain short.</summary>
[Trait("Category", "Integration")]
public sealed class ReactorRunDrainSpecs
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EchoServer_ReactorRunSigtermMidTransfer_DrainsTheTransferThenExitsZero(bool installSignalHandlers)
    {
        string[] args = ["--style", "twisted", "--listen", "tcp:0:interface=127.0.0.1", "--drain", "30"];
        using var server = DemoProcess.Demo("EchoServer", installSignalHandlers ? args : [.. args, "--no-signal-handlers"]);
        int port = await server.Listening(EchoDrainSpecs.Timeout);
        var data = RandomNumberGenerator.GetBytes(2 * EchoDrainSpecs.Half);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Cancel).AsTask().WaitAsync(EchoDrainSpecs.Timeout, Cancel);
        var firstEcho = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var echoed = ReadAllAsync(client, firstEcho);

        await SendAsync(client, data.AsMemory(0, EchoDrainSpecs.Half));
        await firstEcho.Task.WaitAsync(EchoDrainSpecs.Timeout, Cancel);
        server.Signal(Sigterm);
        await server.Printed("draining 1 connections", EchoDrainSpecs.Timeout); // the shutdown has begun, with this transfer half done
        await SendAsync(client, data.AsMemory(EchoDrainSpecs.Half));
        client.Shutdown(SocketShutdown.Send);

        // Everything sent comes back, then EOF (ReadAllAsync ends on it), and the server exits cleanly.
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await echoed.WaitAsync(EchoDrainSpecs.Timeout, Cancel)));
        Assert.Equal(0, await server.ExitCode(EchoDrainSpecs.Timeout));
        Assert.Contains("1 finished, 0 aborted", server.Output, StringComparison.Ordinal);
    }
}
