using System.Net;
using System.Reactive;

namespace RxNet.Http.Specs.Server;

/// <summary>A connection handed to the server through which the spec sees every byte the server took from its input
/// and gave to its output, so "what the server holds" is a difference of two counters, with no look inside it. After
/// every count it calls <c>moved</c>, so a spec can check a bound at every step.</summary>
internal sealed class CountingConnection : IConnection
{
    private readonly IConnection _inner;
    private readonly CountingInput _input;
    private readonly CountingOutput _output;

    public CountingConnection(IConnection inner, Action? moved = null)
    {
        _inner = inner;
        _input = new CountingInput(inner.Input, moved ?? (() => { }));
        _output = new CountingOutput(inner.Output, moved ?? (() => { }));
    }

    /// <summary>The bytes the server has been given by its input so far (less any it handed back).</summary>
    public long BytesTaken => _input.Count;

    /// <summary>The bytes the server has written to its output so far.</summary>
    public long BytesGiven => _output.Count;

    public IConnectionInput Input => _input;

    public IConnectionOutput Output => _output;

    public EndPoint? LocalEndPoint => _inner.LocalEndPoint;

    public EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

    public IObservable<ConnectionClosed> Closed => _inner.Closed;

    public void Close() => _inner.Close();

    public void Dispose() => _inner.Dispose();

    private sealed class CountingInput(IConnectionInput inner, Action moved) : IConnectionInput
    {
        public long Count { get; private set; }

        public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => inner.Subscribe(Counted(observer));

        public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce) => inner.Subscribe(Counted(observer), canProduce);

        public void Unread(ReadOnlyMemory<byte> rest)
        {
            Count -= rest.Length;
            inner.Unread(rest);
        }

        private IObserver<ReadOnlyMemory<byte>> Counted(IObserver<ReadOnlyMemory<byte>> observer) => Observer.Create<ReadOnlyMemory<byte>>(
            chunk =>
            {
                Count += chunk.Length;
                observer.OnNext(chunk);
                moved();
            },
            observer.OnError,
            observer.OnCompleted);
    }

    private sealed class CountingOutput(IConnectionOutput inner, Action moved) : IConnectionOutput
    {
        public long Count { get; private set; }

        public IObservable<bool> Writable => inner.Writable;

        public long PendingBytes => inner.PendingBytes;

        public void OnNext(ReadOnlyMemory<byte> value)
        {
            Count += value.Length;
            inner.OnNext(value);
            moved();
        }

        public void OnError(Exception error) => inner.OnError(error);

        public void OnCompleted() => inner.OnCompleted();
    }
}
