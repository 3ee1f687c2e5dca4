using System.Reactive.Disposables;
using System.Text;

namespace RxNet.Testing;

/// <summary>
/// The receiving side of a <see cref="FakeConnection"/>, driven by the spec: what the peer sends goes in
/// through <see cref="Receive(ReadOnlyMemory{byte})"/>, its end of stream through <see cref="End"/>, a
/// reset or fault through <see cref="Fail"/>.
/// </summary>
/// <remarks>
/// <para>Keeps the parts of the <see cref="IConnection.Input"/> contract that adapters rely on: it is
/// unicast (a second concurrent subscriber fails at once with <see cref="InvalidOperationException"/>);
/// nothing is lost while nobody is subscribed (notifications wait for the next subscriber, as the kernel
/// keeps unread bytes); each chunk is a fresh copy the subscriber may keep; nothing follows the end.</para>
/// <para>Notifications are delivered synchronously, on the caller's thread. As with an Rx
/// <c>Subject</c>, an exception thrown by the subscriber reaches the caller of
/// <see cref="Receive(ReadOnlyMemory{byte})"/>, that is the spec. It cannot pause: subscribers that ask
/// for back-pressure get none. Not thread-safe.</para>
/// </remarks>
public sealed class FakeInput : IObservable<ReadOnlyMemory<byte>>
{
    private readonly Queue<Action<IObserver<ReadOnlyMemory<byte>>>> _held = new();
    private IObserver<ReadOnlyMemory<byte>>? _observer;
    private bool _ended;

    /// <summary>How many subscriptions were accepted.</summary>
    public int SubscribeCount { get; private set; }

    /// <summary>How many accepted subscriptions were disposed before the input ended.</summary>
    public int UnsubscribeCount { get; private set; }

    /// <summary>How many subscriptions were refused because one was already active.</summary>
    public int RefusedCount { get; private set; }

    /// <summary>Whether someone is subscribed now.</summary>
    public bool IsSubscribed => _observer is not null;

    /// <summary>Whether the input has ended (<see cref="End"/> or <see cref="Fail"/> was called).</summary>
    public bool IsEnded => _ended;

    /// <summary>Subscribes <paramref name="observer"/>, and hands it at once everything that waited for a subscriber.</summary>
    /// <param name="observer">The reader.</param>
    /// <returns>Unsubscribes; what arrives afterwards waits for the next subscriber.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="observer"/> is null.</exception>
    /// <remarks>While another subscriber is active, <paramref name="observer"/> gets
    /// <see cref="InvalidOperationException"/> at once and the first keeps reading.</remarks>
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

    /// <summary>The peer sends <paramref name="chunk"/>: delivered now if someone reads, else kept for the next subscriber.</summary>
    /// <param name="chunk">The bytes; copied, so the spec may reuse its buffer. Delivered as given, even
    /// empty (which a real transport never emits), so a spec can check that the code under test copes. Ignored
    /// once the input has ended.</param>
    public void Receive(ReadOnlyMemory<byte> chunk)
    {
        if (_ended)
            return;
        var copy = chunk.ToArray(); // the chunk is the subscriber's to keep
        Deliver(o => o.OnNext(copy));
    }

    /// <summary>The peer sends <paramref name="text"/> as UTF-8, in one chunk.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <remarks>Ignored once the input has ended.</remarks>
    public void Receive(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Receive(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The peer closes its sending side (FIN): the input completes. Later calls, and calls after
    /// <see cref="Fail"/>, are ignored.</summary>
    public void End() => Terminate(o => o.OnCompleted());

    /// <summary>The input fails (reset, abort, I/O fault) with <paramref name="error"/>. Later calls, and
    /// calls after <see cref="End"/>, are ignored.</summary>
    /// <param name="error">The error, such as <see cref="ConnectionResetException"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public void Fail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Terminate(o => o.OnError(error));
    }

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
