using System.Reactive.Disposables;

namespace RxNet.Testing;

/// <summary>
/// A client endpoint the spec controls: every subscription to <see cref="Connect"/> is a
/// <see cref="FakeConnectAttempt"/> (kept in <see cref="Attempts"/>) that the spec resolves later with
/// <see cref="FakeConnectAttempt.Succeed"/> or <see cref="FakeConnectAttempt.Fail"/>, or at once through
/// <see cref="OnAttempt"/>.
/// </summary>
/// <remarks>Made by <see cref="FakeReactor"/>, or directly. Everything is synchronous, on the caller's
/// thread; not thread-safe.</remarks>
/// <param name="description">The description it was made for.</param>
public sealed class FakeClientEndpoint(string description) : IClientEndpoint
{
    private readonly List<FakeConnectAttempt> _attempts = [];

    /// <summary>The description it was made for.</summary>
    public string Description { get; } = description;

    /// <summary>Every attempt, in order.</summary>
    public IReadOnlyList<FakeConnectAttempt> Attempts => _attempts;

    /// <summary>Runs inside <c>Subscribe</c> for each new attempt, to resolve it synchronously
    /// (<c>attempt => attempt.Succeed(new FakeConnection())</c>); unset, attempts wait for the spec.</summary>
    public Action<FakeConnectAttempt>? OnAttempt { get; set; }

    /// <summary>Each subscription starts a new attempt.</summary>
    /// <returns>One connection then completion, or an error, as the spec resolves the attempt.</returns>
    public IObservable<IConnection> Connect() => new ConnectObservable(this);

    private sealed class ConnectObservable(FakeClientEndpoint endpoint) : IObservable<IConnection>
    {
        public IDisposable Subscribe(IObserver<IConnection> observer)
        {
            var attempt = new FakeConnectAttempt(observer);
            endpoint._attempts.Add(attempt);
            endpoint.OnAttempt?.Invoke(attempt);
            return Disposable.Create(attempt.Cancel);
        }
    }
}
