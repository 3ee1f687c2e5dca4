using System.Globalization;
using System.Net;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RxNet.Sockets.Specs.Udp;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Sockets.Specs.Interop;

/// <summary>
/// The porting guide's finger server (Twisted's finger tutorial: a <see cref="LineReceiver"/> whose answer comes from a
/// Deferred fired by <c>callLater</c>, then <c>loseConnection</c>) on a real reactor, asked by <c>nc -C</c> as a
/// Twisted finger server would be: the answer arrives, and the server's side ends as a local close while nc still
/// keeps its end open.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FingerInteropSpecs
{
    [Theory]
    [InlineData("moshez", "Happy and well")]
    [InlineData("nobody", "No such user")]
    public async Task NcClient_AsksThePortedFingerServer_GetsTheAnswerAndTheServerClosesWithoutWaitingForNc(string user, string answer)
    {
        using var reactor = new SocketReactor();
        var factory = new FingerFactory(reactor, new Dictionary<string, string> { ["moshez"] = "Happy and well" });
        using var port = reactor.ListenTcp(0, factory, @interface: "127.0.0.1");
        string portText = ((IPEndPoint)port.Host!).Port.ToString(CultureInfo.InvariantCulture);

        using var nc = NcProcess.Start("-C", "127.0.0.1", portText);                  // -C: lines end in CRLF
        await nc.WriteLineAsync(user);
        await nc.PrintedAsync(answer);
        var lost = await factory.Lost.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(ConnectionCloseReason.LocalClose, lost.Reason);                   // closed once flushed, nc's end still open
    }

    private sealed class FingerProtocol(FingerFactory factory) : LineReceiver
    {
        public override void LineReceived(string user) =>
            factory.GetUser(user)
                .Catch((Exception _) => Observable.Return("Internal error in server"))
                .Subscribe(message =>
                {
                    SendLine(message);
                    Transport.LoseConnection();
                });

        public override void ConnectionLost(ConnectionClosed reason) => factory.Lost.TrySetResult(reason);
    }

    private sealed class FingerFactory(IReactor reactor, IReadOnlyDictionary<string, string> users) : Factory
    {
        public TaskCompletionSource<ConnectionClosed> Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Protocol BuildProtocol(EndPoint? address) => new FingerProtocol(this);

        public AsyncSubject<string> GetUser(string user)
        {
            var d = new AsyncSubject<string>();
            reactor.CallLater(2, () =>
            {
                d.OnNext(users.GetValueOrDefault(user, "No such user"));
                d.OnCompleted();
            });
            return d;
        }
    }
}
