using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xunit;
using static RxNet.Sockets.Specs.Udp.UdpSockets;

namespace RxNet.Sockets.Specs.Udp;

/// <summary>UDP with <c>nc -u</c> as the peer nobody here wrote: nc's lines answered by an RxNet echo, and an
/// RxNet datagram printed by a listening nc whose reply comes back.</summary>
[Trait("Category", "Integration")]
public sealed class NcInteropSpecs : IDisposable
{
    private readonly UdpSockets _sockets = new();

    public void Dispose() => _sockets.Dispose();

    [Fact]
    public async Task NcClient_LinesSentToAnRxNetEcho_ComeBackOnItsOutputOnePerLine()
    {
        var echo = await _sockets.BindAsync("udp:0:interface=127.0.0.1");
        var seen = new List<string>();
        echo.Input.Subscribe(d =>
        {
            lock (seen)
                seen.Add(Text(d));
            echo.Output.OnNext(d);
        });
        string port = ((IPEndPoint)echo.LocalEndPoint).Port.ToString(CultureInfo.InvariantCulture);

        // -w bounds nc's idle wait once its input ends; disposing kills it by its id regardless.
        using var nc = NcProcess.Start("-u", "-w", "10", "127.0.0.1", port);
        await nc.WriteLineAsync("hello from nc");
        await nc.PrintedAsync("hello from nc");
        await nc.WriteLineAsync("second line");
        await nc.PrintedAsync("second line");

        lock (seen)
            Assert.Equal(["hello from nc\n", "second line\n"], seen); // each line one datagram, whole
    }

    [Fact]
    public async Task NcListener_ReceivesAnRxNetDatagramAndItsReplyReachesRxNet()
    {
        // A port is free when we look and may be taken before nc binds it: nc then says so and exits, and
        // another port is tried, so luck cannot fail this.
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int port;
            using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            {
                probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                port = ((IPEndPoint)probe.LocalEndPoint!).Port;
            }
            using var nc = NcProcess.Start("-v", "-u", "-l", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
            var bound = nc.SaidAsync("Bound on");
            if (await Task.WhenAny(bound, nc.Exited) != bound)
            {
                Assert.Contains("in use", nc.Errors, StringComparison.Ordinal);
                continue;
            }
            await bound;

            var socket = await _sockets.BindAsync("udp:0:interface=127.0.0.1");
            var received = Collect(socket);
            var ncAddress = new IPEndPoint(IPAddress.Loopback, port);
            socket.Output.OnNext(Text("hello from rxnet\n", ncAddress));
            await nc.PrintedAsync("hello from rxnet");
            await nc.WriteLineAsync("hello from nc");

            var reply = await received.NextAsync();
            Assert.Equal("hello from nc\n", Text(reply));
            Assert.Equal(ncAddress, reply.RemoteEndPoint);
            return;
        }
        Assert.Fail("five free ports in a row were taken before nc could bind them");
    }
}
