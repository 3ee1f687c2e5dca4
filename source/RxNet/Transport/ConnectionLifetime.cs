using System.Reactive.Disposables;
using System.Reactive.Subjects;

namespace RxNet.Transport;

/// <summary>
/// A connection's close bookkeeping (ADR 0004): the first side to finish names the reason, the resource is
/// released once both directions are done (or at once on an abort, a reset or a fault), and
/// <see cref="Closed"/> reports it, once, to every subscriber, late ones included.
/// </summary>
/// <remarks>
/// <para><b>For transport authors.</b> Report what happens as it happens: <see cref="InputEnding"/> and
/// <see cref="OutputEnding"/> before the end is told to anyone (so a subscriber that reacts by closing the other
/// direction cannot take the reason first), <see cref="InputEnded"/> and <see cref="OutputEnded"/> once a direction
/// is done; <see cref="Abort"/> for <c>Dispose</c> and <c>Output.OnError</c>, <see cref="Fail"/> for a fault.
/// <see cref="TransportInput"/> and <see cref="TransportOutput"/> tell you when through their reader and drain.</para>
/// <para><b>Reasons.</b> <see cref="ConnectionCloseReason.LocalClose"/> if this side finished sending first,
/// <see cref="ConnectionCloseReason.PeerClose"/> if the peer did; <see cref="ConnectionCloseReason.Aborted"/>,
/// <see cref="ConnectionCloseReason.Reset"/> or <see cref="ConnectionCloseReason.Error"/> when that came first.</para>
/// <para><b>Threading.</b> Any thread. Its lock is the object itself, which a transport may share (for example as
/// its input's gate); the resource and <see cref="Closed"/>'s subscribers are called outside it.</para>
/// </remarks>
#pragma warning disable CA1001 // the subject holds no unmanaged state; it completes when the connection closes
public sealed class ConnectionLifetime : IObservable<ConnectionClosed>
#pragma warning restore CA1001
{
    // The clean reasons carry no error, so every connection can share them: two objects less per connection.
    private static readonly ConnectionClosed PeerClosed = new(ConnectionCloseReason.PeerClose);
    private static readonly ConnectionClosed LocalClosed = new(ConnectionCloseReason.LocalClose);

    private readonly IConnectionResource _resource;
    // Closed's first subscriber (most connections have one, the server's drain tracking) is held here; a subject
    // only for more. An idle connection then holds no subject, no subscriber array and no subscription object.
    private IObserver<ConnectionClosed>? _first;
    private AsyncSubject<ConnectionClosed>? _more;
    private bool _published;
    private ConnectionClosed? _reason;
    private bool _inputDone;
    private bool _outputDone;
    private bool _released;
    private bool _closing;

    /// <summary>Creates the bookkeeping of one open connection.</summary>
    /// <param name="resource">What to release, and how.</param>
    /// <exception cref="ArgumentNullException"><paramref name="resource"/> is null.</exception>
    public ConnectionLifetime(IConnectionResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        _resource = resource;
    }

    /// <summary>Emits one <see cref="ConnectionClosed"/> once the resource is released, then completes; replays
    /// to late subscribers (the contract of <see cref="IConnection.Closed"/>).</summary>
    public IObservable<ConnectionClosed> Closed => this;

    /// <summary>Whether the resource has been released (or is being released).</summary>
    public bool IsReleased
    {
        get
        {
            lock (this)
                return _released;
        }
    }

    IDisposable IObservable<ConnectionClosed>.Subscribe(IObserver<ConnectionClosed> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ConnectionClosed? reason;
        lock (this)
        {
            reason = _published ? _reason : null;
            if (reason is null && _first is null)
            {
                _first = observer;
                return new FirstSubscription(this, observer);
            }
            if (reason is null)
                _more ??= new AsyncSubject<ConnectionClosed>();
        }
        if (reason is null)
            return _more!.Subscribe(observer); // completes it at once if Publish got there meanwhile
        observer.OnNext(reason); // published already: replay
        observer.OnCompleted();
        return Disposable.Empty;
    }

    private void Unsubscribe(IObserver<ConnectionClosed> observer)
    {
        lock (this)
        {
            if (ReferenceEquals(_first, observer))
                _first = null;
        }
    }

    /// <summary>The input is about to report its end: the end of the stream (<paramref name="error"/> null) makes
    /// <see cref="ConnectionCloseReason.PeerClose"/> the reason if nothing came first.</summary>
    /// <param name="error">The input's error, or <see langword="null"/>.</param>
    public void InputEnding(Exception? error)
    {
        if (error is null)
            Note(PeerClosed);
    }

    /// <summary>The output is about to finish the sending side (FIN): <see cref="ConnectionCloseReason.LocalClose"/>
    /// becomes the reason if nothing came first.</summary>
    public void OutputEnding() => Note(LocalClosed);

    /// <summary>The input ended: at the end of the stream it is done (the resource is released if the output is too);
    /// with an error the connection fails (see <see cref="Fail"/>).</summary>
    /// <param name="error">The input's error, or <see langword="null"/>.</param>
    public void InputEnded(Exception? error)
    {
        if (error is not null)
        {
            Fail(error);
            return;
        }
        lock (this)
            _inputDone = true;
        ReleaseIfDone();
    }

    /// <summary>The output finished the sending side: it is done (the resource is released if the input is too).</summary>
    public void OutputEnded()
    {
        lock (this)
            _outputDone = true;
        ReleaseIfDone();
    }

    /// <summary>This side closes the connection (<see cref="IConnection.Close"/>): once the output has ended
    /// (<see cref="OutputEnded"/>, at once if it has), the resource is released without waiting for the input's end;
    /// <see cref="IConnectionResource.Release"/> then ends the input. Complete the output after calling it.</summary>
    public void Close()
    {
        lock (this)
            _closing = true;
        ReleaseIfDone();
    }

    /// <summary>Ends the connection because of a fault: the reason is <see cref="ConnectionCloseReason.Reset"/> for a
    /// <see cref="ConnectionResetException"/>, else <see cref="ConnectionCloseReason.Error"/>, unless one came first.</summary>
    /// <param name="error">The fault.</param>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public void Fail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Note(new ConnectionClosed(error is ConnectionResetException ? ConnectionCloseReason.Reset : ConnectionCloseReason.Error, error));
        Abort(error);
    }

    /// <summary>Ends the connection at once (<c>Dispose</c>, <c>Output.OnError</c>): the reason is
    /// <see cref="ConnectionCloseReason.Aborted"/> unless one came first. Idempotent.</summary>
    /// <param name="error">The cause, if any.</param>
    public void Abort(Exception? error)
    {
        lock (this)
        {
            if (_released)
                return;
            _released = true;
            _reason ??= new ConnectionClosed(ConnectionCloseReason.Aborted, error);
        }
        _resource.Abort(error);
        Publish();
    }

    /// <summary>Makes <paramref name="reason"/> the reason if none came first, without ending anything (a policy
    /// that ends a connection for its own reason, such as a timeout, notes it before aborting).</summary>
    /// <param name="reason">The reason.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    public void Note(ConnectionClosed reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        lock (this)
            _reason ??= reason;
    }

    private void ReleaseIfDone()
    {
        lock (this)
        {
            if (_released || !_outputDone || !(_inputDone || _closing))
                return;
            _released = true;
        }
        _resource.Release();
        Publish();
    }

    private void Publish()
    {
        ConnectionClosed reason;
        IObserver<ConnectionClosed>? first;
        AsyncSubject<ConnectionClosed>? more;
        lock (this)
        {
            reason = _reason ??= LocalClosed;
            _published = true; // from here on a subscriber is answered at once, outside the lock
            (first, more, _first) = (_first, _more, null);
        }
        _resource.Closing(reason);
        try
        {
            first?.OnNext(reason);
            first?.OnCompleted();
            more?.OnNext(reason);
            more?.OnCompleted();
        }
        catch (Exception e)
        {
            // A Closed subscriber threw (say, a Twisted ConnectionLost): the transport decides what becomes of it.
            _resource.ClosedSubscriberThrew(e);
        }
    }

    /// <summary>The first subscriber's subscription to <see cref="Closed"/>: disposing it forgets the subscriber.</summary>
    private sealed class FirstSubscription(ConnectionLifetime lifetime, IObserver<ConnectionClosed> observer) : IDisposable
    {
        public void Dispose() => lifetime.Unsubscribe(observer);
    }
}
