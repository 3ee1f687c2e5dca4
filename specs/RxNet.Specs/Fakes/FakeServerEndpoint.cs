using System.Net;
using System.Reactive.Disposables;

namespace RxNet.Specs.Fakes;

/// <summary>
/// A server endpoint the spec controls: it "binds" on subscription (calling <c>onListening</c> with
/// <see cref="BoundAt"/>, or failing at once with <see cref="ListenError"/>), and emits the
/// connections the spec passes to <see cref="Accept"/>.
/// </summary>
public sealed class FakeServerEndpoint(string description) : IServerEndpoint
{
    private readonly List<IObserver<IConnection>> _observers = [];

    /// <summary>The description the reactor was given.</summary>
    public string Description { get; } = description;

    /// <summary>The address reported to <c>onListening</c>.</summary>
    public EndPoint BoundAt { get; set; } = new IPEndPoint(IPAddress.Loopback, 8000);

    /// <summary>When set, subscribing fails synchronously with this error (a bind failure).</summary>
    public Exception? ListenError { get; set; }

    /// <summary>How many times <c>Listen()</c> was subscribed.</summary>
    public int SubscribeCount { get; private set; }

    /// <summary>How many subscriptions were disposed.</summary>
    public int UnsubscribeCount { get; private set; }

    /// <summary>Whether a subscription is active (bound and accepting).</summary>
    public bool IsListening => _observers.Count > 0;

    public IObservable<IConnection> Listen(Action<EndPoint>? onListening = null) => new ListenObservable(this, onListening);

    /// <summary>Emits an accepted connection to every active subscription.</summary>
    public void Accept(IConnection connection)
    {
        foreach (var observer in _observers.ToArray())
            observer.OnNext(connection);
    }

    /// <summary>Fails the active subscriptions later on (the listening socket broke).</summary>
    public void Fail(Exception error)
    {
        foreach (var observer in _observers.ToArray())
        {
            _observers.Remove(observer);
            observer.OnError(error);
        }
    }

    private sealed class ListenObservable(FakeServerEndpoint endpoint, Action<EndPoint>? onListening) : IObservable<IConnection>
    {
        public IDisposable Subscribe(IObserver<IConnection> observer)
        {
            endpoint.SubscribeCount++;
            if (endpoint.ListenError is { } error)
            {
                observer.OnError(error);
                return Disposable.Create(() => endpoint.UnsubscribeCount++);
            }
            onListening?.Invoke(endpoint.BoundAt);
            endpoint._observers.Add(observer);
            return Disposable.Create(() =>
            {
                endpoint.UnsubscribeCount++;
                endpoint._observers.Remove(observer);
            });
        }
    }
}
