using System.Reactive.Disposables;

namespace RxNet.Specs.Fakes;

/// <summary>
/// A client endpoint the spec controls: every subscription to <see cref="Connect"/> is a
/// <see cref="FakeConnectAttempt"/> the spec resolves with <see cref="FakeConnectAttempt.Succeed"/>
/// or <see cref="FakeConnectAttempt.Fail"/>, or at once through <see cref="OnAttempt"/>.
/// </summary>
public sealed class FakeClientEndpoint(string description) : IClientEndpoint
{
    private readonly List<FakeConnectAttempt> _attempts = [];

    /// <summary>The description the reactor was given.</summary>
    public string Description { get; } = description;

    /// <summary>Every attempt, in order.</summary>
    public IReadOnlyList<FakeConnectAttempt> Attempts => _attempts;

    /// <summary>Runs inside <c>Subscribe</c>, to resolve an attempt synchronously.</summary>
    public Action<FakeConnectAttempt>? OnAttempt { get; set; }

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

/// <summary>One connection attempt (one subscription to <see cref="FakeClientEndpoint.Connect"/>).</summary>
public sealed class FakeConnectAttempt
{
    private readonly IObserver<IConnection> _observer;

    internal FakeConnectAttempt(IObserver<IConnection> observer) => _observer = observer;

    /// <summary>Whether the subscriber disposed the attempt.</summary>
    public bool IsCancelled { get; private set; }

    /// <summary>Whether the attempt succeeded or failed.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>The attempt connects: one connection, then completion. A connection made after
    /// the subscriber left is disposed, as a real endpoint does.</summary>
    public void Succeed(IConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (IsCancelled || IsFinished)
        {
            connection.Dispose();
            return;
        }
        IsFinished = true;
        _observer.OnNext(connection);
        _observer.OnCompleted();
    }

    /// <summary>The attempt fails (refused, timed out...).</summary>
    public void Fail(Exception error)
    {
        if (IsCancelled || IsFinished)
            return;
        IsFinished = true;
        _observer.OnError(error);
    }

    internal void Cancel()
    {
        if (!IsFinished)
            IsCancelled = true;
    }
}
