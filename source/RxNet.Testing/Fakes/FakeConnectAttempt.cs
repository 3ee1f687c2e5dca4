namespace RxNet.Testing;

/// <summary>One connection attempt of a <see cref="FakeClientEndpoint"/> (one subscription to its
/// <see cref="FakeClientEndpoint.Connect"/>), which the spec resolves.</summary>
/// <remarks>The first of <see cref="Succeed"/> and <see cref="Fail"/> decides; later calls are ignored,
/// as are calls after the subscriber cancelled. Not thread-safe.</remarks>
public sealed class FakeConnectAttempt
{
    private readonly IObserver<IConnection> _observer;

    internal FakeConnectAttempt(IObserver<IConnection> observer) => _observer = observer;

    /// <summary>Whether the subscriber disposed its subscription before the attempt was resolved.</summary>
    public bool IsCancelled { get; private set; }

    /// <summary>Whether the attempt succeeded or failed.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>The attempt connects: the subscriber gets <paramref name="connection"/>, then completion.
    /// A connection made after the subscriber left (or after the attempt was resolved) is disposed, as a
    /// real endpoint does, so nothing leaks.</summary>
    /// <param name="connection">The connection, typically a <see cref="FakeConnection"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
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

    /// <summary>The attempt fails (refused, timed out...): the subscriber gets <paramref name="error"/>.</summary>
    /// <param name="error">The error, such as <see cref="ConnectionRefusedException"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public void Fail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
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
