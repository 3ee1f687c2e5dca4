using System.Net;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Sockets.Specs.Interop;

/// <summary>
/// The porting guide's polling client (a <see cref="ReconnectingClientFactory"/> whose protocol polls with a
/// <see cref="LoopingCall"/>) on a real reactor against a Twisted server that answers three polls per connection and
/// then loses it: the client reconnects with Twisted's backoff and polls on.
/// </summary>
[Collection(TwistedProcess.Collection)]
[Trait("Category", "Integration")]
public sealed class ReconnectingPollerInteropSpecs
{
    private const string Server = """
        from twisted.internet import protocol, reactor
        from twisted.protocols.basic import LineReceiver

        class ThreeAnswers(LineReceiver):
            answered = 0

            def lineReceived(self, line):
                self.answered += 1
                self.sendLine(b"ok %d" % self.answered)
                if self.answered == 3:
                    self.transport.loseConnection()

        factory = protocol.ServerFactory.forProtocol(ThreeAnswers)
        listening = reactor.listenTCP(0, factory, interface="127.0.0.1")
        print("listening", listening.getHost().port, flush=True)
        reactor.callLater(120, reactor.stop)  # a safety net should the spec runner vanish
        reactor.run()
        """;

    [Fact]
    public async Task Poller_TwistedServerLosesTheConnectionAfterThreePolls_ReconnectsAndPollsOn()
    {
        using var twisted = await TwistedProcess.StartAsync("rxnet-poller-", "server.py", Server, []);
        int port = await twisted.ListeningAsync();
        using var reactor = new SocketReactor();
        var poller = new PollerFactory(reactor, TimeSpan.FromMilliseconds(200)) { Jitter = 0 };

        reactor.ConnectTcp("127.0.0.1", port, poller);
        var answers = await poller.FiveAnswers.Task.Within(Bounded.Long);
        poller.StopTrying();

        Assert.Equal(["ok 1", "ok 2", "ok 3", "ok 1", "ok 2"], answers);   // three on the first connection, then a new one
        Assert.Equal(2, poller.Connections);
    }

    private sealed class Poller(PollerFactory factory) : LineReceiver
    {
        private LoopingCall? _loop;

        public override void ConnectionMade()
        {
            factory.Connected();
            _loop = new LoopingCall(factory.Reactor.Scheduler, () => SendLine("status"));
            _loop.Start(factory.Every);
        }

        public override void LineReceived(string line) => factory.Answered(line);

        public override void ConnectionLost(ConnectionClosed reason)
        {
            if (_loop is { Running: true })
                _loop.Stop();
        }
    }

    private sealed class PollerFactory(IReactor reactor, TimeSpan every) : ReconnectingClientFactory(reactor)
    {
        private readonly List<string> _answers = [];
        private int _connections;

        public TimeSpan Every => every;

        public int Connections => Volatile.Read(ref _connections);

        public TaskCompletionSource<string[]> FiveAnswers { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Protocol BuildProtocol(EndPoint? address) => new Poller(this) { Factory = this };

        public void Connected()
        {
            ResetDelay();
            Interlocked.Increment(ref _connections);
        }

        public void Answered(string line)
        {
            lock (_answers)
            {
                _answers.Add(line);
                if (_answers.Count == 5)
                    FiveAnswers.TrySetResult([.. _answers]);
            }
        }
    }
}
