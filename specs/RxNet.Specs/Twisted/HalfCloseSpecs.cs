using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>
/// Closes as Twisted has them, on a simulated host: <c>LoseConnection</c> sends what is queued and closes without
/// waiting for the peer, and a protocol that implements <see cref="IHalfCloseableProtocol"/> hears of each direction
/// ending (<c>ReadConnectionLost</c>, <c>WriteConnectionLost</c>) instead of being closed on the peer's FIN.
/// </summary>
public sealed class HalfCloseSpecs
{
    private static readonly long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;

    public HalfCloseSpecs()
    {
        _network = new SimulatedNetwork(_scheduler);
        _network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(5) });
    }

    [Fact]
    public void LoseConnection_ThePeerKeepsItsEndOpen_ClosesOnceFlushedAndThePeerSeesTheDataThenItsEnd()
    {
        var server = new Scripted(Now, p => { p.Transport.Write("bye\r\n"u8.ToArray()); p.Transport.LoseConnection(); });
        using var port = _network.Host("server").Reactor.ListenTcp(8000, new ProtocolFactory(() => server));
        var client = new HalfCloseable(Now); // keeps its end open when the server finishes
        _network.Host("client").Reactor.ConnectTcp("server", 8000, new ProtocolFactory(() => client));

        _scheduler.Start();

        // Connected at 5 ms; the server's bytes and FIN reach the client at 10 ms, and the server is released at once.
        Assert.Equal(["lost LocalClose at 5"], server.Events);
        Assert.Equal(["data bye\r\n at 10", "read lost at 10"], client.Events);
        Assert.True(client.Connected, "the half-closeable client was closed on the server's FIN");
    }

    [Fact]
    public void Protocol_NotHalfCloseable_ThePeersEndClosesTheConnection()
    {
        var server = new Scripted(Now, p => p.Transport.LoseConnection());
        using var port = _network.Host("server").Reactor.ListenTcp(8000, new ProtocolFactory(() => server));
        var client = new Scripted(Now, _ => { });
        _network.Host("client").Reactor.ConnectTcp("server", 8000, new ProtocolFactory(() => client));

        _scheduler.Start();

        Assert.Equal(["lost PeerClose at 10"], client.Events);
        Assert.False(client.Connected);
    }

    [Fact]
    public void HalfCloseableProtocol_ThePeerFinishesSending_ReadConnectionLostThenItAnswersAndCloses()
    {
        var server = new HalfCloseable(Now, onReadLost: p => { p.Transport.Write("answer"u8.ToArray()); p.Transport.LoseConnection(); });
        using var port = _network.Host("server").Reactor.ListenTcp(8000, new ProtocolFactory(() => server));
        var client = new HalfCloseable(Now, onMade: p => { p.Transport.Write("question"u8.ToArray()); p.Transport.LoseWriteConnection(); });
        _network.Host("client").Reactor.ConnectTcp("server", 8000, new ProtocolFactory(() => client));

        _scheduler.Start();

        Assert.Equal(["data question at 10", "read lost at 10", "lost PeerClose at 10"], server.Events);
        Assert.Equal(["write lost at 5", "data answer at 15", "read lost at 15", "lost LocalClose at 15"], client.Events);
    }

    [Fact]
    public void HalfCloseableProtocol_ReadConnectionLostThrows_TheConnectionEndsInsteadOfStayingHalfOpen()
    {
        var server = new HalfCloseable(Now, onReadLost: _ => throw new InvalidOperationException("no answer"));
        using var port = _network.Host("server").Reactor.ListenTcp(8000, new ProtocolFactory(() => server));
        var client = new HalfCloseable(Now, onMade: p => p.Transport.LoseWriteConnection());
        _network.Host("client").Reactor.ConnectTcp("server", 8000, new ProtocolFactory(() => client));

        _scheduler.Start();

        // Aborted by the exception (the first reason, the peer's end, stays the reason); the client hears the reset.
        Assert.Equal(["read lost at 10", "lost PeerClose at 10"], server.Events);
        Assert.Equal(["write lost at 5", "lost LocalClose at 15"], client.Events);
        Assert.Equal(1, _network.Trace.Count(e => e.Kind == NetworkEventKind.Reset));
    }

    private long Now() => _scheduler.Clock / Ms;

    private sealed class ProtocolFactory(Func<Protocol> build) : ClientFactory
    {
        public override Protocol BuildProtocol(System.Net.EndPoint? address) => build();
    }

    /// <summary>Records its events with the virtual time in milliseconds.</summary>
    private class Scripted(Func<long> clock, Action<Protocol>? onMade = null) : Protocol
    {
        public List<string> Events { get; } = [];

        protected Func<long> Clock => clock;

        public override void ConnectionMade() => onMade?.Invoke(this);

        public override void DataReceived(ReadOnlyMemory<byte> data) => Events.Add($"data {Encoding.ASCII.GetString(data.Span)} at {Clock()}");

        public override void ConnectionLost(ConnectionClosed reason) => Events.Add($"lost {reason.Reason} at {Clock()}");
    }

    private sealed class HalfCloseable(Func<long> clock, Action<Protocol>? onMade = null, Action<Protocol>? onReadLost = null)
        : Scripted(clock, onMade), IHalfCloseableProtocol
    {
        public void ReadConnectionLost()
        {
            Events.Add($"read lost at {Clock()}");
            onReadLost?.Invoke(this);
        }

        public void WriteConnectionLost() => Events.Add($"write lost at {Clock()}");
    }
}
