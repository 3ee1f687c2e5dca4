using System.Net;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Reactive.Testing;
using RxNet.Twisted;

namespace RxNet.Testing.Specs;

/// <summary>
/// The names that docs/porting-from-twisted.md introduces in its prose rather than in a block ("<c>reactor</c> is
/// an <c>IReactor</c>", "the <c>AskAsync</c> above", "the <c>Echo</c> protocol"), as <see cref="GuideSnippetCompiler"/>
/// gives them to each block: inherited members of the class the block is compiled in. They reach a block by name,
/// never through a <c>using</c>, so a block's using lines are all it needs for everything else. Nothing here runs:
/// the blocks run in <see cref="PortingGuideSpecs"/>.
/// </summary>
#pragma warning disable CA1051, IDE1006, CS8618, CA1822, CA1034, CA1708 // the guide's own names, lower case; only compiled against
public abstract class PortingGuideContext
{
    // ---- What the guide's introduction names ----
    protected IReactor reactor;
    protected IReactor clientReactor;
    protected TestScheduler scheduler;
    protected SimulatedNetwork network;

    // ---- What a section's prose or an earlier block of it introduces ----
    protected IConnection connection;
    protected IConnection a;
    protected IConnection b;
    protected IClientEndpoint endpoint;
    protected IClientEndpoint alpha;
    protected IClientEndpoint beta;
    protected IObservable<IConnection> d1;
    protected IObservable<IConnection> d2;
    protected Factory factory;
    protected ServerService service;
    protected ServerService web;
    protected ServerService admin;
    protected ILogger logger;
    protected ILoggerFactory loggerFactory;
    protected EndPoint? bound;
    protected List<string> heard;
    protected Ping ping;
    protected IReadOnlyDictionary<string, string> users;
    protected string text;
    protected string[] args;
    protected bool cancelled;
    protected bool started;
    protected bool fired;
    protected RxNet.Http.Web.Site site;
    protected RxNet.Http.IHttpAgent agent;
    protected RxNet.Http.WebSocket socket;

    protected void Tick() { }

    protected void Save() { }

    protected void Serve(IConnection connection) { }

    protected static int Parse(string text) => text.Length;

    protected IObservable<long> Flush() => Observable.Return(0L);

    protected Task<string> AskAsync(IClientEndpoint endpoint, string question) => Task.FromResult(question);

    protected Task<string> AskAsync(IClientEndpoint endpoint, string question, CancellationToken cancel) => Task.FromResult(question);

    protected IObservable<string> Ask(IClientEndpoint endpoint, string question) => Observable.Return(question);

    protected static IObservable<string> Finger(IReactor reactor, string host, string user) => Observable.Return(user);

    // ---- The protocols and factories the guide defines once and uses again ----
    protected sealed class Echo : Protocol;

    protected sealed class Greeter : Protocol;

    protected sealed class Shout : LineReceiver;

    protected sealed class UdpEcho : DatagramProtocol;

    protected sealed class Ping : DatagramProtocol;

    protected sealed class PollerFactory : ReconnectingClientFactory
    {
        public PollerFactory(IReactor reactor)
            : base(reactor)
        {
        }
    }

    protected sealed class Pinger : Protocol
    {
        public Pinger(IReactor reactor, TimeSpan every) => _ = (reactor, every);
    }

    protected sealed class EchoFactory : Factory
    {
        public override Protocol BuildProtocol(EndPoint? address) => new Echo();
    }

    protected sealed class FingerFactory : Factory
    {
        public FingerFactory(IReactor reactor, IReadOnlyDictionary<string, string> users) => _ = (reactor, users);

        public override Protocol BuildProtocol(EndPoint? address) => new Echo();
    }

    protected sealed class Hello : RxNet.Http.Web.Resource;

    protected sealed class EchoSocket : RxNet.Http.Web.WebSocketProtocol;

    protected sealed class GreeterFactory : ClientFactory
    {
        public override Protocol BuildProtocol(EndPoint? address) => new Greeter();
    }
}
#pragma warning restore CA1051, IDE1006, CS8618, CA1822, CA1034, CA1708
