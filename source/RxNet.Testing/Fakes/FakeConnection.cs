using System.Net;
using System.Reactive.Subjects;

namespace RxNet.Testing;

/// <summary>
/// An in-memory <see cref="IConnection"/> that the spec drives by hand (Twisted's <c>StringTransport</c>):
/// it plays the peer through <see cref="Input"/>, reads what the code under test sent from
/// <see cref="Output"/>, and ends the connection with <see cref="Close(ConnectionClosed)"/>.
/// </summary>
/// <remarks>
/// <para>Use it to specify a protocol, an operator or a wrapper one notification at a time, with no
/// network, scheduler or thread: every call takes effect synchronously, on the caller's thread. For
/// chunking, latency, flow control and timing that behave like TCP, use a
/// <see cref="SimulatedNetwork"/> instead.</para>
/// <para><see cref="Dispose"/> behaves like a transport's abort, synchronously: the output is aborted
/// (<see cref="FakeOutput.IsAborted"/>), a subscribed or later subscriber of the input fails with
/// <see cref="ConnectionAbortedException"/>, and <see cref="Closed"/> reports
/// <see cref="ConnectionCloseReason.Aborted"/>, unless it had fired already.</para>
/// <para>Not thread-safe: drive it from one thread, as a spec does.</para>
/// </remarks>
/// <example>
/// <code>
/// var connection = new FakeConnection();
/// using var _ = Echo.Serve(connection);          // the code under test
/// connection.Input.Receive("hi\n");
/// Assert.Equal("hi\n", connection.Output.Text);
/// </code>
/// </example>
public sealed class FakeConnection : IConnection
{
    private readonly AsyncSubject<ConnectionClosed> _closed = new();

    /// <summary>The receiving side, which the spec feeds as the peer would.</summary>
    public FakeInput Input { get; } = new();

    /// <summary>The sending side, which records what the code under test writes.</summary>
    public FakeOutput Output { get; } = new();

    IConnectionInput IConnection.Input => Input;

    IConnectionOutput IConnection.Output => Output;

    /// <summary>The local address reported; 127.0.0.1:8000 unless set.</summary>
    public EndPoint? LocalEndPoint { get; init; } = new IPEndPoint(IPAddress.Loopback, 8000);

    /// <summary>The peer's address reported; 127.0.0.1:50000 unless set.</summary>
    public EndPoint? RemoteEndPoint { get; init; } = new IPEndPoint(IPAddress.Loopback, 50000);

    /// <summary>Emits the reason once <see cref="Close(ConnectionClosed)"/> or <see cref="Dispose"/>
    /// ends the connection, then completes; replays it to later subscribers.</summary>
    public IObservable<ConnectionClosed> Closed => _closed;

    /// <summary>How many times <see cref="Dispose"/> was called.</summary>
    public int DisposeCount { get; private set; }

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => DisposeCount > 0;

    /// <summary>The reason <see cref="Closed"/> reported, once it fired; <see langword="null"/> before.</summary>
    public ConnectionClosed? ClosedReason { get; private set; }

    /// <summary>Whether anyone observes <see cref="Closed"/> now: a spec's check that a wrapper let go of it.</summary>
    public bool HasClosedObservers => _closed.HasObservers;

    /// <summary>Fires <see cref="Closed"/> with <paramref name="reason"/>; later calls are ignored, as the
    /// contract says (the first reason wins). It does not end the input or the output: do that first
    /// through <see cref="Input"/> and <see cref="Output"/> if the spec needs it.</summary>
    /// <param name="reason">Why the connection closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    public void Close(ConnectionClosed reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (ClosedReason is not null)
            return;
        ClosedReason = reason;
        _closed.OnNext(reason);
        _closed.OnCompleted();
    }

    /// <summary>Fires <see cref="Closed"/> with <paramref name="reason"/> and <paramref name="error"/>;
    /// later calls are ignored.</summary>
    /// <param name="reason">Why the connection closed.</param>
    /// <param name="error">The error behind it, for <see cref="ConnectionCloseReason.Reset"/> and the like.</param>
    public void Close(ConnectionCloseReason reason, Exception? error = null) => Close(new ConnectionClosed(reason, error));

    /// <summary>Starts a clean close, as a transport's <see cref="IConnection.Close"/> does: the output completes
    /// (<see cref="FakeOutput.IsCompleted"/>) and the call is counted in <see cref="CloseCount"/>. What follows is the
    /// spec's to play, as for everything else here: end the input (<see cref="FakeInput.End"/>) and fire
    /// <see cref="Closed"/> (<see cref="Close(ConnectionCloseReason, Exception?)"/>, say with
    /// <see cref="ConnectionCloseReason.LocalClose"/>) when the transport would.</summary>
    public void Close()
    {
        CloseCount++;
        if (ClosedReason is null)
            Output.OnCompleted();
    }

    /// <summary>How many times <see cref="Close()"/> was called.</summary>
    public int CloseCount { get; private set; }

    /// <summary>Aborts, as a transport does: see the remarks of <see cref="FakeConnection"/>. Counted
    /// in <see cref="DisposeCount"/>; only the first call (before any <see cref="Close(ConnectionClosed)"/>) acts.</summary>
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
