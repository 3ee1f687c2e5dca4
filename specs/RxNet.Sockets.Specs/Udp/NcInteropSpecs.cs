using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Twisted;
using Xunit;
using static RxNet.Sockets.Specs.Udp.UdpSockets;

namespace RxNet.Sockets.Specs.Udp;

/// <summary>UDP with <c>nc -u</c> as the peer nobody here wrote: nc's lines answered by an RxNet echo (an Rx one, and a
/// Twisted-style <see cref="DatagramProtocol"/> on <c>ListenUdp</c>), and an RxNet datagram printed by a listening nc
/// whose reply comes back.</summary>
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
    public async Task NcClient_LinesSentToADatagramProtocolEchoOnListenUdp_ComeBackAndALineThatThrowsIsLoggedNotFatal()
    {
        var logger = new FakeLogger();
        using var reactor = new SocketReactor();
        var echo = new Echo();
        using var port = reactor.ListenUdp(0, echo, "127.0.0.1", logger: logger);
        string portText = ((IPEndPoint)port.Host).Port.ToString(CultureInfo.InvariantCulture);

        // -w bounds nc's idle wait once its input ends; disposing kills it by its id regardless.
        using var nc = NcProcess.Start("-u", "-w", "10", "127.0.0.1", portText);
        await nc.WriteLineAsync("boom");                  // DatagramReceived throws: logged, the port serves on
        await echo.Threw.Task.Within();                    // else nc may send the next line in the same datagram
        await nc.WriteLineAsync("hello from nc");
        await nc.PrintedAsync("hello from nc");
        await nc.WriteLineAsync("second line");
        await nc.PrintedAsync("second line");

        Assert.DoesNotContain("boom", nc.Output, StringComparison.Ordinal);
        Assert.Equal(["boom\n", "hello from nc\n", "second line\n"], echo.Seen);
        var error = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Equal("boom", error.Exception?.Message);
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

    /// <summary>Twisted's UDP echo, which throws on the line "boom".</summary>
    private sealed class Echo : DatagramProtocol
    {
        private readonly List<string> _seen = [];

        /// <summary>Completes when the protocol has thrown on "boom".</summary>
        public TaskCompletionSource Threw { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string[] Seen
        {
            get
            {
                lock (_seen)
                    return [.. _seen];
            }
        }

        public override void DatagramReceived(ReadOnlyMemory<byte> data, EndPoint address)
        {
            string text = Encoding.UTF8.GetString(data.Span);
            lock (_seen)
                _seen.Add(text);
            if (text == "boom\n")
            {
                Threw.TrySetResult();
                throw new InvalidOperationException("boom");
            }
            Transport.Write(data, address);
        }
    }
}
