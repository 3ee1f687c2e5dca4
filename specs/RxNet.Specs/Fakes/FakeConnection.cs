using System.Net;
using System.Reactive.Subjects;

namespace RxNet.Specs.Fakes;

/// <summary>
/// An in-memory <see cref="IConnection"/>: the spec plays the transport and the peer through
/// <see cref="Input"/>, reads what was sent from <see cref="Output"/>, and fires <see cref="Closed"/>
/// with <see cref="Close(ConnectionClosed)"/>.
/// </summary>
/// <remarks><see cref="Dispose"/> behaves like a transport's abort, synchronously (as the socket
/// transport does): the output is aborted, a subscribed input fails with
/// <see cref="ConnectionAbortedException"/> and <see cref="Closed"/> reports
/// <see cref="ConnectionCloseReason.Aborted"/>.</remarks>
public sealed class FakeConnection : IConnection
{
    private readonly AsyncSubject<ConnectionClosed> _closed = new();

    public FakeInput Input { get; } = new();

    public FakeOutput Output { get; } = new();

    IObservable<ReadOnlyMemory<byte>> IConnection.Input => Input;

    IConnectionOutput IConnection.Output => Output;

    public EndPoint? LocalEndPoint { get; init; } = new IPEndPoint(IPAddress.Loopback, 8000);

    public EndPoint? RemoteEndPoint { get; init; } = new IPEndPoint(IPAddress.Loopback, 50000);

    public IObservable<ConnectionClosed> Closed => _closed;

    /// <summary>How many times <see cref="Dispose"/> was called.</summary>
    public int DisposeCount { get; private set; }

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => DisposeCount > 0;

    /// <summary>The reason <see cref="Closed"/> reported, once it fired.</summary>
    public ConnectionClosed? ClosedReason { get; private set; }

    /// <summary>Whether anyone observes <see cref="Closed"/> now.</summary>
    public bool HasClosedObservers => _closed.HasObservers;

    /// <summary>Fires <see cref="Closed"/> once; later calls are ignored, as the contract says.</summary>
    public void Close(ConnectionClosed reason)
    {
        if (ClosedReason is not null)
            return;
        ClosedReason = reason;
        _closed.OnNext(reason);
        _closed.OnCompleted();
    }

    /// <summary>Fires <see cref="Closed"/> with <paramref name="reason"/>.</summary>
    public void Close(ConnectionCloseReason reason, Exception? error = null) => Close(new ConnectionClosed(reason, error));

    public void Dispose()
    {
        DisposeCount++;
        if (DisposeCount > 1 || ClosedReason is not null)
            return;
        Output.Abort();
        Input.Fail(new ConnectionAbortedException());
        Close(ConnectionCloseReason.Aborted);
    }
}
