using System.Net;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Sockets.Specs.Interop;

/// <summary>
/// RxNet's length-prefixed and netstring framing against Twisted's own <c>Int32StringReceiver</c> and
/// <c>NetstringReceiver</c>, run by Python on loopback: ten thousand frames each way, of lengths from 0
/// to Twisted's <c>MAX_LENGTH</c>, each checked on both sides, and the limit honoured both ways.
/// </summary>
[Collection(TwistedProcess.Collection)]
[Trait("Category", "Integration")]
public sealed class TwistedInteropSpecs
{
    private const int Frames = 10_000;

    [Fact]
    public async Task Int32StringReceiver_TwistedClient_ExchangesTenThousandFramesEachWay()
    {
        var exchange = new Exchange();
        using var reactor = new SocketReactor();
        using var port = reactor.ListenTcp(0, new PeerFactory(() => new Int32Peer(exchange, send: true)), @interface: "127.0.0.1");

        using var twisted = await TwistedPeer.StartAsync("int32", "client", "exchange", Frames, ((IPEndPoint)port.Host).Port);

        await AssertExchangedAsync(exchange, twisted);
    }

    [Fact]
    public async Task NetstringReceiver_TwistedClient_ExchangesTenThousandFramesEachWay()
    {
        var exchange = new Exchange();
        using var reactor = new SocketReactor();
        using var port = reactor.ListenTcp(0, new PeerFactory(() => new NetstringPeer(exchange)), @interface: "127.0.0.1");

        using var twisted = await TwistedPeer.StartAsync("netstring", "client", "exchange", Frames, ((IPEndPoint)port.Host).Port);

        await AssertExchangedAsync(exchange, twisted);
    }

    [Fact]
    public async Task LengthPrefixed_TwistedInt32Server_ExchangesTenThousandFramesEachWay()
    {
        using var twisted = await TwistedPeer.StartAsync("int32", "server", "exchange", Frames);

        var exchange = new Exchange();
        using var connection = await Peer.ConnectAsync(new IPEndPoint(IPAddress.Loopback, await twisted.ListeningAsync()));
        using var client = RunRxClient(connection, new LengthFieldCodec(LengthFieldOptions.Int32Prefixed), exchange);

        await AssertExchangedAsync(exchange, twisted);
    }

    [Fact]
    public async Task Netstrings_TwistedNetstringServer_ExchangesTenThousandFramesEachWay()
    {
        using var twisted = await TwistedPeer.StartAsync("netstring", "server", "exchange", Frames);

        var exchange = new Exchange();
        using var connection = await Peer.ConnectAsync(new IPEndPoint(IPAddress.Loopback, await twisted.ListeningAsync()));
        using var client = RunRxClient(connection, new NetstringCodec(), exchange);

        await AssertExchangedAsync(exchange, twisted);
    }

    [Fact]
    public async Task Int32StringReceiver_TwistedSendsAboveMaxLength_LengthLimitExceededLosesTheConnection()
    {
        var exchange = new Exchange();
        using var reactor = new SocketReactor();
        using var port = reactor.ListenTcp(0, new PeerFactory(() => new Int32Peer(exchange, send: false)), @interface: "127.0.0.1");

        using var twisted = await TwistedPeer.StartAsync("int32", "client", "send-oversize", port: ((IPEndPoint)port.Host).Port);

        Assert.Equal(100000, await exchange.LimitExceeded.Within(Bounded.Long));
        Assert.Equal(0, await twisted.ExitCodeAsync(Bounded.Long));
        Assert.Contains("lost 0", twisted.Output, StringComparison.Ordinal);
        await exchange.Lost.Within(Bounded.Long);
        Assert.Equal(0, exchange.Received);
    }

    [Fact]
    public async Task Int32StringReceiver_SendsAboveTwistedsMaxLength_TwistedLosesTheConnection()
    {
        var exchange = new Exchange();
        using var reactor = new SocketReactor();
        using var port = reactor.ListenTcp(0, new PeerFactory(() => new Int32Peer(exchange, send: false, oversize: true)), @interface: "127.0.0.1");

        using var twisted = await TwistedPeer.StartAsync("int32", "client", "expect-oversize", port: ((IPEndPoint)port.Host).Port);

        Assert.Equal("limit 100000", await twisted.LineAsync("limit ", Bounded.Long));
        Assert.Equal(0, await twisted.ExitCodeAsync(Bounded.Long));
        await exchange.Lost.Within(Bounded.Long);
    }

    /// <summary>Both sides got every frame intact: RxNet checked each, Twisted checked each and printed
    /// the digest of what it got, which must be that of what RxNet sent.</summary>
    private static async Task AssertExchangedAsync(Exchange exchange, TwistedProcess twisted)
    {
        Assert.Null(await exchange.AllReceived.Within(Bounded.Long));
        string received = await twisted.LineAsync("received ", Bounded.Long);
        int exitCode = await twisted.ExitCodeAsync(Bounded.Long);

        Assert.Equal($"received {Frames} {InteropFrames.Digest(Frames, InteropFrames.RxNetSalt)}", received);
        Assert.DoesNotContain("mismatch", twisted.Output, StringComparison.Ordinal);
        Assert.True(exitCode == 0, $"Twisted exited with {exitCode}; it printed:\n{twisted.Output}\n{twisted.Errors}");
        Assert.Equal(Frames, exchange.Received);
        Assert.Null(exchange.FirstMismatch);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Frames} frames ({InteropFrames.Bytes(Frames):N0} bytes) each way with Twisted");
    }

    /// <summary>An Rx-style client: the connection framed by <paramref name="codec"/>, every frame sent at once,
    /// the output completed (a FIN, which ends the Twisted server) once every frame from the peer has arrived.</summary>
    private static IDisposable RunRxClient(IConnection connection, ICodec<ReadOnlyMemory<byte>> codec, Exchange exchange)
    {
        var framed = connection.Framed(codec);
        var input = framed.Input.Subscribe(frame =>
        {
            if (exchange.Receive(frame))
                framed.Output.OnCompleted();
        }, exchange.Fail);
        connection.Closed.Subscribe(exchange.Closed);
        for (int i = 0; i < Frames; i++)
            framed.Output.OnNext(InteropFrames.Payload(i, InteropFrames.RxNetSalt));
        return input;
    }

    /// <summary>What the RxNet side saw: every frame checked against <see cref="InteropFrames"/> in order.
    /// Its tasks never fault, so none goes unobserved when a spec does not wait for it.</summary>
    private sealed class Exchange
    {
        private readonly TaskCompletionSource<string?> _allReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<long> _limit = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _received;

        public int Received => Volatile.Read(ref _received);

        public int? FirstMismatch { get; private set; }

        /// <summary>Null once every frame has arrived, or why they did not.</summary>
        public Task<string?> AllReceived => _allReceived.Task;

        public Task<long> LimitExceeded => _limit.Task;

        public Task Lost => _lost.Task;

        /// <summary>Checks the next frame; true when it was the last one expected.</summary>
        public bool Receive(ReadOnlyMemory<byte> frame)
        {
            int i = _received;
            if (FirstMismatch is null && (i >= Frames || !frame.Span.SequenceEqual(InteropFrames.Payload(i, InteropFrames.PythonSalt).Span)))
                FirstMismatch = i;
            Volatile.Write(ref _received, i + 1);
            if (i + 1 != Frames)
                return false;
            _allReceived.TrySetResult(null);
            return true;
        }

        public void Fail(Exception error) => _allReceived.TrySetResult($"The frames failed after {Received}: {error}");

        public void Limit(long length) => _limit.TrySetResult(length);

        public void Closed(ConnectionClosed reason)
        {
            _allReceived.TrySetResult($"The connection closed after {Received} frames: {reason}.");
            _lost.TrySetResult();
        }
    }

    private sealed class PeerFactory(Func<Protocol> build) : Factory
    {
        public override Protocol BuildProtocol(EndPoint? address) => build();
    }

    /// <summary>The Twisted-style side: sends every frame on connection, checks every string received.</summary>
    private sealed class Int32Peer(Exchange exchange, bool send, bool oversize = false) : Int32StringReceiver
    {
        public override void ConnectionMade()
        {
            if (oversize)
                SendString(new byte[100000]);
            for (int i = 0; send && i < Frames; i++)
                SendString(InteropFrames.Payload(i, InteropFrames.RxNetSalt));
        }

        public override void StringReceived(ReadOnlyMemory<byte> data) => exchange.Receive(data);

        public override void LengthLimitExceeded(long length)
        {
            exchange.Limit(length);
            base.LengthLimitExceeded(length);
        }

        public override void ConnectionLost(ConnectionClosed reason) => exchange.Closed(reason);
    }

    private sealed class NetstringPeer(Exchange exchange) : NetstringReceiver
    {
        public override void ConnectionMade()
        {
            for (int i = 0; i < Frames; i++)
                SendString(InteropFrames.Payload(i, InteropFrames.RxNetSalt));
        }

        public override void StringReceived(ReadOnlyMemory<byte> data) => exchange.Receive(data);

        public override void ConnectionLost(ConnectionClosed reason) => exchange.Closed(reason);
    }
}
