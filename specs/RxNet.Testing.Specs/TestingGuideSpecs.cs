using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Testing.Specs.Twisted;
using RxNet.Twisted;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Testing.Specs;

/// <summary>
/// The code of docs/testing.md, compiled and run: if a sample of the guide stops matching the API or its
/// ticks, one of these fails.
/// </summary>
public sealed class TestingGuideSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    // ---- The worked example: the protocol under test -------------------------------------------------

    /// <summary>Replies to everything with the same text upper-cased; after 30 s of silence says
    /// "idle, bye" and closes.</summary>
    public static class Shouter
    {
        public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(30);

        public static IDisposable Serve(IConnection connection, IScheduler scheduler) =>
            connection.Input
                .Select(chunk => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(chunk.Span).ToUpperInvariant()))
                .Timeout(IdleLimit, scheduler)
                .Catch((TimeoutException _) => Observable.Return<ReadOnlyMemory<byte>>("idle, bye\r\n"u8.ToArray()))
                .Subscribe(connection.Output);
    }

    // ---- The worked example: its specs -----------------------------------------------------------------

    [Fact]
    public void Shouter_ClientSaysHello_GetsItUpperCasedOneRoundTripLater()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var client = network.ConnectTo(server => Shouter.Serve(server, scheduler)); // connected at 1 ms
        var replies = client.Input.RecordText(scheduler);

        client.Output.OnNext("hello\r\n"u8.ToArray());   // leaves at 1 ms, arrives at 2 ms
        client.Output.OnCompleted();
        scheduler.Start();

        Assert.Equal([
            OnNext(3 * Ms, "HELLO\r\n"),                    // back at 3 ms
            OnCompleted<string>(3 * Ms)], replies.Messages);
    }

    [Fact]
    public void Shouter_ClientGoesQuiet_HearsIdleByeThirtySecondsAfterItsLastWords()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var client = network.ConnectTo(server => Shouter.Serve(server, scheduler));
        var replies = client.Input.RecordText(scheduler);

        client.Output.OnNext("hello\r\n"u8.ToArray());
        scheduler.Start();                                  // 30 virtual seconds, in microseconds of real time

        Assert.Equal([
            OnNext(3 * Ms, "HELLO\r\n"),
            OnNext(30_003 * Ms, "idle, bye\r\n"),            // 2 ms + 30 s, then 1 ms on the link
            OnCompleted<string>(30_003 * Ms)], replies.Messages);
    }

    [Fact]
    public void Shouter_OneByteSegmentsOnASlowLink_StillAnswersEverything()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler, seed: 42);
        network.Link("client", "server", new LinkOptions
        {
            Latency = TimeSpan.FromMilliseconds(20),
            BytesPerSecond = 10_000,
            MaxSegmentSize = 1,                             // every write cut into 1-byte pieces
        });
        var client = network.ConnectTo(server => Shouter.Serve(server, scheduler));
        var run = Script.Send("hello\r\n").Expect("HELLO\r\n").Close().ExpectClose().Run(client, scheduler);

        scheduler.Start();

        run.Verify();                                       // throws ScriptMismatchException with the details
    }

    // ---- Samples of the guide's sections ---------------------------------------------------------------

    [Fact]
    public void Guide_Clock_AdvanceByRunsWhatIsDueAndNothingLater()
    {
        var scheduler = new TestScheduler();
        var fired = new List<long>();
        scheduler.Schedule(TimeSpan.FromSeconds(5), () => fired.Add(scheduler.Clock));

        scheduler.AdvanceBy(TimeSpan.FromSeconds(4).Ticks);   // Twisted: clock.advance(4)
        Assert.Empty(fired);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);
        Assert.Equal([TimeSpan.FromSeconds(5).Ticks], fired);
    }

    [Fact]
    public void Guide_Network_HostsLinksAndTheTrace()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler, seed: 7);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) });
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(connection => connection.Input.Subscribe(connection.Output));          // echo
        network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect()
            .Subscribe(connection =>
            {
                connection.Output.OnNext("hi\n"u8.ToArray());
                connection.Output.OnCompleted();
            });

        scheduler.Start();

        string trace = network.TraceText();
        Assert.StartsWith("00:00:00.0100000 client:49152 -> server:8000 Connect 0\n", trace, StringComparison.Ordinal);
        Assert.Contains("00:00:00.0200000 client:49152 -> server:8000 Data 3", trace, StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_ConnectPair_BothEndsAtOneLatency()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);

        var (client, server) = network.ConnectPair();     // scheduler stopped at 1 ms, the connect
        var received = server.Input.RecordLines(scheduler);
        client.Output.OnNext("one\r\ntwo\r\n"u8.ToArray());
        client.Output.OnCompleted();
        scheduler.Start();

        Assert.Equal([
            OnNext(2 * Ms, "one"),
            OnNext(2 * Ms, "two"),
            OnCompleted<string>(2 * Ms)], received.Messages);
    }

    [Fact]
    public void Guide_Recording_EverythingAtOnceAndTheCloseReason()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var (client, server) = network.ConnectPair();
        var all = server.Input.ReadAllText().Record(scheduler);
        var replies = client.Input.RecordText(scheduler);
        var closed = client.Closed.Select(c => c.Reason).Record(scheduler);

        client.Output.OnNext("a"u8.ToArray());
        client.Output.OnNext("b"u8.ToArray());
        client.Output.OnCompleted();
        server.Output.OnCompleted();
        scheduler.Start();

        Assert.Equal([OnNext(2 * Ms, "ab"), OnCompleted<string>(2 * Ms)], all.Messages);
        Assert.Equal([OnCompleted<string>(2 * Ms)], replies.Messages);
        Assert.Equal([
            OnNext(2 * Ms, ConnectionCloseReason.LocalClose),
            OnCompleted<ConnectionCloseReason>(2 * Ms)], closed.Messages);
    }

    [Fact]
    public void Guide_ScriptedServer_TestsAClientProtocol()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var mail = Script.Send("220 ready\r\n")
            .Expect("HELO me\r\n").Send("250 ok\r\n")
            .Expect("QUIT\r\n").Send("221 bye\r\n").Close()
            .ExpectClose();
        using var server = mail.Serve(network.Host("mail").Reactor, "tcp:25");

        using var greeting = Greeter.Run(network.Host("client").Reactor, "tcp:host=mail:port=25"); // the code under test
        scheduler.Start();

        server.Verify();
    }

    [Fact]
    public void Guide_Mismatch_MessageNamesTheStepAndTheBytes()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var (client, server) = network.ConnectPair();
        var run = Script.Expect("HELO me\r\n").Run(server, scheduler);

        client.Output.OnNext("HELO you\r\n"u8.ToArray());
        scheduler.Start();

        var error = Assert.Throws<ScriptMismatchException>(run.Verify);
        Assert.StartsWith(
            "Script step 1 of 1 (Expect \"HELO me\\r\\n\" (9 bytes)) failed: byte 5 differs (byte 5 of the input).\n" +
            "  expected: \"HELO me\\r\\n\"\n" +
            "  actual:   \"HELO you\\r\\n\"\n" +
            "                  ^\n", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A client protocol, as a user writes it: answers 220 with HELO and 250 with QUIT, and
    /// closes when the server does.</summary>
    private static class Greeter
    {
        public static IDisposable Run(IReactor reactor, string server) =>
            reactor.ClientEndpoint(server).Connect().Subscribe(connection =>
            {
                var pending = new StringBuilder();
                connection.Input.Subscribe(chunk =>
                {
                    pending.Append(Encoding.ASCII.GetString(chunk.Span));
                    for (int end; (end = pending.ToString().IndexOf("\r\n", StringComparison.Ordinal)) >= 0; pending.Remove(0, end + 2))
                    {
                        string line = pending.ToString(0, end);
                        if (line.StartsWith("220", StringComparison.Ordinal))
                            connection.Output.OnNext("HELO me\r\n"u8.ToArray());
                        else if (line.StartsWith("250", StringComparison.Ordinal))
                            connection.Output.OnNext("QUIT\r\n"u8.ToArray());
                    }
                }, _ => connection.Dispose(), connection.Output.OnCompleted);
            });
    }

    // ---- Fakes and chunking ---------------------------------------------------------------------------

    [Fact]
    public void Guide_FakeConnection_EchoHalfClosesInTurn()
    {
        var connection = new FakeConnection();
        using var echo = connection.Input.Subscribe(connection.Output);   // the code under test

        connection.Input.Receive("hi\n");
        connection.Input.End();

        Assert.Equal("hi\n", connection.Output.Text);
        Assert.True(connection.Output.IsCompleted);
    }

    [Fact]
    public void Guide_FakeReactor_ReconnectsAfterTheBackOffToTheTick()
    {
        var reactor = new FakeReactor();
        var backoff = new Backoff(TimeSpan.FromSeconds(1), 2, TimeSpan.FromMinutes(1)) { Jitter = BackoffJitter.None };
        using var client = reactor.ClientEndpoint("tcp:host=db:port=5432")
            .Reconnecting(backoff, reactor.Scheduler)
            .Subscribe(connection => { });

        var endpoint = reactor.ClientEndpoints.Single();
        endpoint.Attempts[0].Fail(new ConnectionRefusedException());
        reactor.TestScheduler.AdvanceBy(TimeSpan.FromSeconds(2).Ticks - 1);
        Assert.Single(endpoint.Attempts);
        reactor.TestScheduler.AdvanceBy(1);
        Assert.Equal(2, endpoint.Attempts.Count);
    }

    [Fact]
    public void Guide_Chunking_LinesUnderEveryCut()
    {
        foreach (var chunks in Chunking.All("a\r\nbc\n"u8.ToArray()))
        {
            var (lines, error, completed) = Chunking.Decode(chunks, input => input.Lines());
            Assert.Equal(["a", "bc"], lines);
            Assert.Null(error);
            Assert.True(completed);
        }
    }

    // ---- Twisted's test doubles -------------------------------------------------------------------------

    /// <summary>Twisted's <c>twisted/test/test_finger.py</c>, as the guide shows it (the whole port is
    /// <see cref="FingerTests"/>).</summary>
    public sealed class FingerGuideTests
    {
        private readonly StringTransport _transport;
        private readonly Finger _protocol;

        public FingerGuideTests()
        {
            _transport = new StringTransport();            // self.transport = StringTransport()
            _protocol = new Finger();                       // self.protocol = finger.Finger()
            _protocol.MakeConnection(_transport);           // self.protocol.makeConnection(self.transport)
        }

        [Fact]
        public void Finger_SimpleQuery_SaysNoSuchUser()    // def test_simple(self):
        {
            _protocol.DataReceived("moshez\r\n"u8.ToArray());
            Assert.Equal("Login: moshez\nNo such user\n"u8.ToArray(), _transport.Value());
        }
    }

    /// <summary>Rings once, <c>delay</c> after the connection is made, on the reactor it is given, then hangs up.</summary>
    public sealed class Bell(IReactor reactor, TimeSpan delay) : Protocol
    {
        public override void ConnectionMade() => reactor.CallLater(delay, () =>
        {
            Transport.Write("ding"u8.ToArray());
            Transport.LoseConnection();
        });
    }

    [Fact]
    public void Guide_StringTransport_ProtocolWithATimerOnAFakeReactor()
    {
        var reactor = new FakeReactor();                                   // clock = task.Clock()
        var factory = Factory.ForProtocol(f => new Bell(f.Reactor, TimeSpan.FromSeconds(5)));
        factory.Reactor = reactor;
        var transport = new StringTransport();
        var protocol = factory.BuildProtocol(transport.Peer)!;            // factory.buildProtocol(addr)
        protocol.MakeConnection(transport);

        reactor.TestScheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);    // clock.advance(5)

        Assert.Equal("ding"u8.ToArray(), transport.Value());
        Assert.True(transport.Disconnecting);
    }

    [Fact]
    public void Guide_ConnectToFactory_ScriptedClientAgainstFinger()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var client = network.ConnectTo(Factory.ForProtocol<Finger>());   // the protocol under test serves; the spec is the client

        var run = Script.Send("moshez\r\n").Expect("Login: moshez\nNo such user\n").ExpectClose().Run(client, scheduler);
        scheduler.Start();

        run.Verify();
    }

    [Fact]
    public void Guide_ConnectPairFactories_TwoProtocolsTalkInVirtualTime()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var bells = Factory.ForProtocol(f => new Bell(f.Reactor, TimeSpan.FromSeconds(1)));
        var listener = new Listener();

        var (client, server) = network.ConnectPair(bells, Factory.ForProtocol(() => listener));   // iosim.connectedServerAndClient
        scheduler.Start();                                                                        // pump.flush()

        Assert.Same(listener, client);
        Assert.Equal("ding", listener.Heard);
        Assert.False(server.Connected);
    }

    public sealed class Listener : Protocol
    {
        public string Heard { get; private set; } = "";

        public override void DataReceived(ReadOnlyMemory<byte> data) => Heard += Encoding.UTF8.GetString(data.Span);
    }
}
