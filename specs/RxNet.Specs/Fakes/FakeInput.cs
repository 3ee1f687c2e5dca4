using System.Reactive.Disposables;
using System.Text;

namespace RxNet.Specs.Fakes;

/// <summary>
/// The receiving side of a <see cref="FakeConnection"/>, driven by the spec: what the peer "sends"
/// goes through <see cref="Receive(string)"/>, <see cref="End"/> and <see cref="Fail"/>.
/// </summary>
/// <remarks>
/// Keeps the <see cref="IConnection.Input"/> contract that matters to adapters: unicast (a second
/// concurrent subscriber fails at once with <see cref="InvalidOperationException"/>), and nothing
/// is lost before the first subscription (notifications are held, as the kernel would hold bytes).
/// Like an Rx <c>Subject</c>, an exception thrown by the subscriber reaches the caller of
/// <see cref="Receive(ReadOnlyMemory{byte})"/>, that is the spec playing the transport.
/// </remarks>
public sealed class FakeInput : IObservable<ReadOnlyMemory<byte>>
{
    private readonly Queue<Action<IObserver<ReadOnlyMemory<byte>>>> _held = new();
    private IObserver<ReadOnlyMemory<byte>>? _observer;
    private bool _ended;

    /// <summary>How many subscriptions were accepted.</summary>
    public int SubscribeCount { get; private set; }

    /// <summary>How many accepted subscriptions were disposed.</summary>
    public int UnsubscribeCount { get; private set; }

    /// <summary>How many subscriptions were refused because one was already active.</summary>
    public int RefusedCount { get; private set; }

    /// <summary>Whether someone is subscribed now.</summary>
    public bool IsSubscribed => _observer is not null;

    /// <summary>Whether the input has ended (completed or failed).</summary>
    public bool IsEnded => _ended;

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (_observer is not null)
        {
            RefusedCount++;
            observer.OnError(new InvalidOperationException("The input already has a subscriber."));
            return Disposable.Empty;
        }
        _observer = observer;
        SubscribeCount++;
        while (_observer == observer && _held.Count > 0)
            _held.Dequeue()(observer);
        return Disposable.Create(() =>
        {
            if (_observer == observer)
            {
                _observer = null;
                UnsubscribeCount++;
            }
        });
    }

    /// <summary>The peer sends <paramref name="chunk"/>.</summary>
    public void Receive(ReadOnlyMemory<byte> chunk)
    {
        var copy = chunk.ToArray(); // the chunk is the subscriber's to keep
        Deliver(o => o.OnNext(copy));
    }

    /// <summary>The peer sends <paramref name="text"/> as UTF-8.</summary>
    public void Receive(string text) => Receive(Encoding.UTF8.GetBytes(text));

    /// <summary>The peer closes its sending side (FIN).</summary>
    public void End() => Terminate(o => o.OnCompleted());

    /// <summary>The input fails (reset, abort, I/O fault).</summary>
    public void Fail(Exception error) => Terminate(o => o.OnError(error));

    private void Terminate(Action<IObserver<ReadOnlyMemory<byte>>> notification)
    {
        if (_ended)
            return;
        _ended = true;
        Deliver(o =>
        {
            _observer = null;
            notification(o);
        });
    }

    private void Deliver(Action<IObserver<ReadOnlyMemory<byte>>> notification)
    {
        if (_observer is { } observer)
            notification(observer);
        else
            _held.Enqueue(notification);
    }
}
