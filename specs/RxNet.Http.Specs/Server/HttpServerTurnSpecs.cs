using System.Reactive.Linq;
using RxNet.Transport;

namespace RxNet.Http.Specs.Server;

/// <summary>A synchronous handler's response is written on the turn that delivered its request: the transport sends
/// it when that delivery returns, with no hop through a scheduler or the thread pool (each hop costs a request its
/// latency).</summary>
public sealed class HttpServerTurnSpecs
{
    private const string Get = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n";

    [Fact]
    public void Serve_SynchronousHandler_WritesTheResponseOnTheTurnThatDeliveredTheRequest()
    {
        var http = new TurnHttp();

        http.Send(Get);
        http.Send(Get); // a keep-alive request after the first exchange ended
        http.Run();

        AssertEachResponseWrittenOnItsTurn(http, 2);
    }

    [Fact]
    public void Serve_PipelinedRequestsInOneChunk_WritesEveryResponseOnTheTurnThatDeliveredThem()
    {
        var http = new TurnHttp();

        http.Send(Get + Get + Get);
        http.Run();

        AssertEachResponseWrittenOnItsTurn(http, 3);
    }

    [Fact]
    public void Serve_HandlerAnsweringLater_WritesOutsideTheTurn()
    {
        // The control case: the recorder tells a deferred write apart, so the two specs above can fail.
        var http = new TurnHttp(scheduler => Observable.Return(HttpResponse.Text("later")).Delay(TimeSpan.FromMilliseconds(5), scheduler));

        http.Send(Get);
        http.Run();

        var write = Assert.Single(http.Writes);
        Assert.False(write.InDelivery);
        Assert.False(write.OnItsOwnTurn);
    }

    private static int Occurrences(string text, string what) => text.Split(what).Length - 1;

    /// <summary>Every response arrived, each in one write made inside the input's delivery, on its connection's turn.</summary>
    private static void AssertEachResponseWrittenOnItsTurn(TurnHttp http, int responses)
    {
        Assert.Equal(responses, Occurrences(http.Received, "HTTP/1.1 200 OK"));
        Assert.Equal(responses, http.Writes.Count);
        Assert.All(http.Writes, write => Assert.True(write.InDelivery && write.OnItsOwnTurn, write.ToString()));
    }

    /// <summary>A server on the simulated network whose connection records, for every write to its output, whether it
    /// happened inside a delivery of its input and on that connection's <see cref="ConnectionTurn"/>.</summary>
    private sealed class TurnHttp
    {
        private readonly SimulatedHttp _http;

        public TurnHttp(Func<Microsoft.Reactive.Testing.TestScheduler, IObservable<HttpResponse>>? answer = null)
        {
            Microsoft.Reactive.Testing.TestScheduler? scheduler = null;
            _http = new SimulatedHttp(_ => answer is null ? Observable.Return(HttpResponse.Text("Hello, World!")) : answer(scheduler!), serve: Watch);
            scheduler = _http.Scheduler;
        }

        public List<Write> Writes { get; } = [];

        public string Received => _http.Received;

        public void Send(string text) => _http.Send(text);

        public void Run() => _http.Run();

        private TurnWatchingConnection Watch(IConnection connection) => new TurnWatchingConnection(connection, Writes);
    }

    internal readonly record struct Write(bool InDelivery, bool OnItsOwnTurn);

    private sealed class TurnWatchingConnection : IConnection
    {
        private readonly IConnection _inner;
        private readonly List<Write> _writes;
        private bool _delivering;

        public TurnWatchingConnection(IConnection inner, List<Write> writes)
        {
            _inner = inner;
            _writes = writes;
            Input = new WatchedInput(this);
            Output = new WatchedOutput(this);
        }

        public IConnectionInput Input { get; }

        public IConnectionOutput Output { get; }

        public System.Net.EndPoint? LocalEndPoint => _inner.LocalEndPoint;

        public System.Net.EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

        public IObservable<ConnectionClosed> Closed => _inner.Closed;

        public void Close() => _inner.Close();

        public void Dispose() => _inner.Dispose();

        private sealed class WatchedInput(TurnWatchingConnection owner) : IConnectionInput
        {
            public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => owner._inner.Input.Subscribe(new Delivery(owner, observer));

            public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce) =>
                owner._inner.Input.Subscribe(new Delivery(owner, observer), canProduce);

            public void Unread(ReadOnlyMemory<byte> rest) => owner._inner.Input.Unread(rest);
        }

        /// <summary>Marks the connection as delivering while the server's <c>OnNext</c> runs.</summary>
        private sealed class Delivery(TurnWatchingConnection owner, IObserver<ReadOnlyMemory<byte>> observer) : IObserver<ReadOnlyMemory<byte>>
        {
            public void OnNext(ReadOnlyMemory<byte> value)
            {
                owner._delivering = true;
                try
                {
                    observer.OnNext(value);
                }
                finally
                {
                    owner._delivering = false;
                }
            }

            public void OnError(Exception error) => observer.OnError(error);

            public void OnCompleted() => observer.OnCompleted();
        }

        private sealed class WatchedOutput(TurnWatchingConnection owner) : IConnectionOutput
        {
            public IObservable<bool> Writable => owner._inner.Output.Writable;

            public long PendingBytes => owner._inner.Output.PendingBytes;

            public void OnNext(ReadOnlyMemory<byte> value)
            {
                owner._writes.Add(new Write(owner._delivering, ReferenceEquals(ConnectionTurn.Owner, owner._inner)));
                owner._inner.Output.OnNext(value);
            }

            public void OnError(Exception error) => owner._inner.Output.OnError(error);

            public void OnCompleted() => owner._inner.Output.OnCompleted();
        }
    }
}
