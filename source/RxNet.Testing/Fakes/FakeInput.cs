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
/// <see cref="Receive(ReadOnlyMemory{byte})"/>, that is the spec. Not thread-safe.</para>
/// <para>It pauses as a transport does: while a subscriber's demand signal says <see langword="false"/>
/// (<see cref="IsPaused"/>), what the peer sends waits, as it would in the kernel, and goes out in order when the
/// demand comes back.</para>
/// </remarks>
public sealed class FakeInput : IConnectionInput
{
    private readonly Queue<Action<IObserver<ReadOnlyMemory<byte>>>> _held = new();
    private IDisposable? _demandSubscription;
    private IObserver<ReadOnlyMemory<byte>>? _observer;
    private bool _demand = true;
    private bool _ended;

    /// <summary>How many subscriptions were accepted.</summary>
    public int SubscribeCount { get; private set; }

    /// <summary>How many accepted subscriptions were disposed before the input ended.</summary>
    public int UnsubscribeCount { get; private set; }

    /// <summary>How many subscriptions were refused because one was already active.</summary>
    public int RefusedCount { get; private set; }

    /// <summary>Whether someone is subscribed now.</summary>
    public bool IsSubscribed => _observer is not null;

    /// <summary>Whether the subscriber's demand signal asks the input to pause now.</summary>
    public bool IsPaused => _observer is not null && !_demand;

    /// <summary>Whether the input has ended (<see cref="End"/> or <see cref="Fail"/> was called).</summary>
    public bool IsEnded => _ended;

    /// <summary>Subscribes <paramref name="observer"/>, and hands it at once everything that waited for a subscriber.</summary>
    /// <param name="observer">The reader.</param>
    /// <returns>Unsubscribes; what arrives afterwards waits for the next subscriber.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="observer"/> is null.</exception>
    /// <remarks>While another subscriber is active, <paramref name="observer"/> gets
    /// <see cref="InvalidOperationException"/> at once and the first keeps reading.</remarks>
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Attach(observer, null);

    /// <summary>Subscribes <paramref name="observer"/>, delivering only while the latest value of
    /// <paramref name="canProduce"/> is <see langword="true"/> (before its first value, and after it ends, it counts as
    /// <see langword="true"/>).</summary>
    /// <param name="observer">The reader.</param>
    /// <param name="canProduce">The reader's demand, for example an output's <see cref="IConnectionOutput.Writable"/>.</param>
    /// <returns>Unsubscribes; what arrives afterwards waits for the next subscriber.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="observer"/> or <paramref name="canProduce"/> is null.</exception>
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(canProduce);
        return Attach(observer, canProduce);
    }

    private IDisposable Attach(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool>? canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (_observer is not null)
        {
            RefusedCount++;
            observer.OnError(new InvalidOperationException("The input already has a subscriber."));
            return Disposable.Empty;
        }
        _observer = observer;
        _demand = true;
        SubscribeCount++;
        if (canProduce is not null)
            _demandSubscription = canProduce.Subscribe(on => SetDemand(observer, on), _ => SetDemand(observer, true), () => SetDemand(observer, true));
        DeliverHeld(observer);
        return Disposable.Create(() =>
        {
            if (_observer == observer)
            {
                _observer = null;
                _demand = true;
                _demandSubscription?.Dispose();
                _demandSubscription = null;
                UnsubscribeCount++;
            }
        });
    }

    private void SetDemand(IObserver<ReadOnlyMemory<byte>> observer, bool on)
    {
        if (_observer != observer)
            return;
        _demand = on;
        DeliverHeld(observer);
    }

    private void DeliverHeld(IObserver<ReadOnlyMemory<byte>> observer)
    {
        while (_observer == observer && _demand && _held.Count > 0)
            _held.Dequeue()(observer);
    }

    /// <summary>The peer sends <paramref name="chunk"/>: delivered now if someone reads and has not paused, else kept
    /// until someone does.</summary>
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
        if (_observer is { } observer && _demand && _held.Count == 0)
            notification(observer);
        else
            _held.Enqueue(notification);
    }
}
