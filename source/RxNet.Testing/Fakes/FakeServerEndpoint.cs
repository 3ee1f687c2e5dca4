using System.Net;
using System.Reactive.Disposables;

namespace RxNet.Testing;

/// <summary>
/// A server endpoint the spec controls: subscribing to <see cref="Listen"/> "binds" at once (calling
/// <c>onListening</c> with <see cref="BoundAt"/>, or failing with <see cref="ListenError"/>), and the
/// connections the spec passes to <see cref="Accept"/> are emitted to every active subscription.
/// </summary>
/// <remarks>Made by <see cref="FakeReactor"/>, or directly. Everything is synchronous, on the caller's
/// thread; not thread-safe.</remarks>
/// <param name="description">The description it was made for.</param>
public sealed class FakeServerEndpoint(string description) : IServerEndpoint
{
    private readonly List<IObserver<IConnection>> _observers = [];

    /// <summary>The description it was made for.</summary>
    public string Description { get; } = description;

    /// <summary>The address reported to <c>onListening</c>; 127.0.0.1:8000 unless set.</summary>
    public EndPoint BoundAt { get; set; } = new IPEndPoint(IPAddress.Loopback, 8000);

    /// <summary>When set, subscribing fails synchronously with this error, as a bind failure does.</summary>
    public Exception? ListenError { get; set; }

    /// <summary>How many times <see cref="Listen"/> was subscribed.</summary>
    public int SubscribeCount { get; private set; }

    /// <summary>How many subscriptions were disposed.</summary>
    public int UnsubscribeCount { get; private set; }

    /// <summary>Whether a subscription is active (bound and accepting).</summary>
    public bool IsListening => _observers.Count > 0;

    /// <summary>Listens: each subscription binds at once and receives what <see cref="Accept"/> is given from then on.</summary>
    /// <param name="onListening">Called with <see cref="BoundAt"/> when a subscription binds.</param>
    /// <returns>The accepted connections; fails with <see cref="ListenError"/> if set, or later through <see cref="Fail"/>.</returns>
    public IObservable<IConnection> Listen(Action<EndPoint>? onListening = null) => new ListenObservable(this, onListening);

    /// <summary>Emits <paramref name="connection"/> to every active subscription, as an accept does.</summary>
    /// <param name="connection">The accepted connection, typically a <see cref="FakeConnection"/>.</param>
    /// <remarks>With nobody listening, the connection goes nowhere (and is not disposed).</remarks>
    public void Accept(IConnection connection)
    {
        foreach (var observer in _observers.ToArray())
            observer.OnNext(connection);
    }

    /// <summary>Fails every active subscription with <paramref name="error"/>, as a listening socket that broke.</summary>
    /// <param name="error">The error.</param>
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
