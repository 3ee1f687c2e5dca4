using System.Reactive.Disposables;
using RxNet.Internal;

namespace RxNet.Transport;

/// <summary>
/// A connection's input, ready for a transport to plug its reading into: the one subscriber and its demand,
/// a chunk kept for the next subscriber when one leaves mid-read, the end and the error, a pump that parks
/// while nobody wants bytes (or the connection's own output is above its mark) and wakes when that changes,
/// and a <see cref="ConnectionTurn"/> around each delivery. The transport supplies an
/// <see cref="IInputReader"/>: one read step and where the pump runs.
/// </summary>
/// <remarks>
/// <para>It keeps the input half of the <see cref="IConnection"/> contract: cold (reads only while subscribed),
/// unicast (a second concurrent subscriber gets <see cref="InvalidOperationException"/>), pausable
/// (<see cref="Subscribe(IObserver{ReadOnlyMemory{byte}}, IObservable{bool})"/>), sequential, never an empty
/// chunk, nothing lost between subscribers. A transport hands it out as its connection's <c>Input</c>.</para>
/// <para><b>Handing over.</b> A subscriber that comes while the current one is inside <c>OnNext</c> (typically the code
/// after <c>await input.FirstAsync()</c>, which runs inside that <c>OnNext</c>, before the first subscription is
/// disposed) waits until that <c>OnNext</c> returns: if the current subscriber has left by then, the new one takes
/// over with the next byte (first the bytes given back by <see cref="Unread"/>); otherwise it gets the unicast
/// <see cref="InvalidOperationException"/>.</para>
/// <para><b>Threading.</b> One pump runs at a time; it calls the subscriber and the reader outside its lock.
/// Reads are answered on any thread; the pump goes on on the thread that answered.</para>
/// </remarks>
public sealed class TransportInput : IConnectionInput, IThreadPoolWorkItem
{
    private const byte NoRead = 0, Calling = 1, Answered = 2, Outstanding = 3;

    private readonly IInputReader _reader;
    private readonly object _owner;
    private readonly object _lock;
    private readonly SubscriberSlot<ReadOnlyMemory<byte>> _slot;
    private readonly int _fairShare;
    private ReadOnlyMemory<byte> _stash;
    private ReadOnlyMemory<byte> _answer; // a read answered while Read was still on the pump's stack
    private Exception? _answerError;
    private IObserver<ReadOnlyMemory<byte>>? _borrower; // the subscriber, when it is an output (it copies in OnNext)
    private bool _answerLent;
    private Exception? _error;
    private byte _read;
    private int _readingThread; // the pump's thread while it calls Read: a lent answer from another must be copied
    private bool _answerEnds;
    private bool _running;
    private bool _ended;
    private bool _reported;
    private bool _pauseCounted;
    private bool _delivering; // a subscriber's OnNext is running: a newcomer waits for it (_slot.Pending)
    private bool _dropped; // closed or aborted locally: bytes given back are dropped
    private bool _pendingBorrows;
    private IObservable<bool>? _pendingDemand;

    /// <summary>Creates an input with no subscriber; nothing is read until someone subscribes.</summary>
    /// <param name="reader">The transport's read step.</param>
    /// <param name="owner">The connection: what deliveries' turns name (see <see cref="ConnectionTurn"/>) and
    /// what a second subscriber's error names.</param>
    /// <param name="gate">The lock to guard the input's state with (a transport may share its own, never holding
    /// it while calling out); a new one by default.</param>
    /// <param name="fairShare">Chunks delivered in a row before the pump goes back to <see cref="IInputReader.ScheduleRun"/>
    /// so that one busy connection cannot keep a shared thread; 0 (the default) never yields.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="owner"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fairShare"/> is negative.</exception>
    public TransportInput(IInputReader reader, object owner, object? gate = null, int fairShare = 0)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfNegative(fairShare);
        _reader = reader;
        _owner = owner;
        _lock = gate ?? new object();
        _fairShare = fairShare;
        _slot = new SubscriberSlot<ReadOnlyMemory<byte>>(_lock, static input => ((TransportInput)input).Wake(), this);
    }

    /// <summary>Subscribes with no demand signal: reads whenever the connection's output allows.</summary>
    /// <param name="observer">The subscriber.</param>
    /// <returns>The subscription; disposing it stops reading (a chunk read meanwhile waits for the next subscriber).</returns>
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, SubscriberSlot<ReadOnlyMemory<byte>>.AlwaysDemand);

    /// <inheritdoc/>
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce) => Attach(observer, canProduce, borrows: false);

    /// <summary>Subscribes an output with no demand signal; as it copies each chunk before <c>OnNext</c> returns,
    /// reads may lend it their buffer (see <see cref="Lend"/>).</summary>
    /// <param name="output">The output to write every chunk to.</param>
    /// <returns>The subscription.</returns>
    public IDisposable Subscribe(IConnectionOutput output) => Attach(output, SubscriberSlot<ReadOnlyMemory<byte>>.AlwaysDemand, borrows: true);

    /// <summary>Subscribes an output, producing only while <paramref name="canProduce"/> says so; reads may lend
    /// it their buffer (see <see cref="Lend"/>).</summary>
    /// <param name="output">The output to write every chunk to.</param>
    /// <param name="canProduce">The demand signal, usually the output's <see cref="IConnectionOutput.Writable"/>.</param>
    /// <returns>The subscription.</returns>
    public IDisposable Subscribe(IConnectionOutput output, IObservable<bool> canProduce) => Attach(output, canProduce, borrows: true);

    /// <summary>Whether the current subscriber is an output, which copies each chunk before its <c>OnNext</c>
    /// returns: a read may then answer with <see cref="Lend"/> from a buffer the reader reuses.</summary>
    public bool CanLend
    {
        get
        {
            lock (_lock)
                return _borrower is not null && ReferenceEquals(_borrower, _slot.Observer);
        }
    }

    private IDisposable Attach(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce, bool borrows)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(canProduce);
        bool busy = false, ended = false, held = false;
        Exception? error = null;
        lock (_lock)
        {
            if (_slot.Observer is not null && _delivering && _slot.Pending is null)
            {
                // Inside the current subscriber's OnNext: it may be about to leave (FirstAsync disposes it right after).
                (_slot.Pending, _pendingDemand, _pendingBorrows, held) = (observer, canProduce, borrows, true);
            }
            else if (_slot.Observer is not null)
                busy = true;
            else if (_ended && _stash.IsEmpty && !_running)
                (ended, error) = (true, _error);
            else
            {
                _slot.TryAttach(observer);
                _borrower = borrows ? observer : null;
            }
        }
        if (busy)
        {
            observer.OnError(SubscriberSlot<ReadOnlyMemory<byte>>.AlreadySubscribed(_owner));
            return Disposable.Empty;
        }
        if (ended)
        {
            Terminate(observer, error);
            return Disposable.Empty;
        }
        if (held)
            return _slot.Subscription(observer); // let in or refused when the OnNext returns (see Pump)
        var subscription = _slot.Subscription(observer);
        _slot.FollowDemand(observer, canProduce);
        Wake();
        return subscription;
    }

    /// <summary>Re-checks whether reading may go on, in a run of its own: for the transport, after its output
    /// fell below the low-water mark.</summary>
    public void Wake()
    {
        lock (_lock)
        {
            if (_running || _slot.Observer is null)
                return;
            _running = true;
        }
        _reader.ScheduleRun(this);
    }

    /// <summary>Ends the input because the connection was aborted: the chunk kept is dropped, the subscriber (now
    /// or the next) gets <paramref name="error"/>, and nothing is reported to the reader's <see cref="IInputReader.Ending"/>.
    /// An outstanding read must still be answered (see <see cref="IInputReader"/>).</summary>
    /// <param name="error">What the subscriber gets, usually a <see cref="ConnectionAbortedException"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public void Abort(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        EndLocally(error);
    }

    /// <summary>Ends the input because this side closed the connection (<see cref="IConnection.Close"/>): the chunk
    /// kept and whatever the peer sends after are dropped, the subscriber (now or the next) gets <c>OnCompleted</c>, and
    /// nothing is reported to the reader's <see cref="IInputReader.Ending"/>. Does nothing if the input has ended
    /// already. An outstanding read must still be answered (see <see cref="IInputReader"/>).</summary>
    public void Close() => EndLocally(null);

    /// <summary>Gives back bytes the current subscriber was delivered and did not use, just before it unsubscribes:
    /// the next subscriber gets them first (a decoder that stopped in the middle of a chunk, see
    /// <see cref="IConnectionInput.Unread"/>). Dropped once the input was closed or aborted by this side.</summary>
    /// <param name="rest">The unused bytes, in order; they must not change afterwards (the next subscriber keeps them).</param>
    public void Unread(ReadOnlyMemory<byte> rest)
    {
        if (rest.IsEmpty)
            return;
        lock (_lock)
        {
            if (_dropped)
                return;
            _stash = _stash.IsEmpty ? rest : Concat(rest, _stash);
        }
    }

    private static ReadOnlyMemory<byte> Concat(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        var both = new byte[first.Length + second.Length];
        first.CopyTo(both);
        second.CopyTo(both.AsMemory(first.Length));
        return both;
    }

    private void EndLocally(Exception? error)
    {
        IObserver<ReadOnlyMemory<byte>>? observer = null;
        lock (_lock)
        {
            if (_ended)
            {
                if (error is null)
                    (_stash, _dropped) = (default, true); // read to its end already: only what was kept goes
                return;
            }
            _ended = true;
            _dropped = true;
            _reported = true; // this side ends it: nothing more to tell the connection
            _error = error;
            _stash = default;
            if (!_running)
            {
                observer = _slot.Observer;
                if (observer is not null)
                    _slot.Detach();
            }
        }
        if (observer is not null)
            Terminate(observer, error);
    }

    /// <summary>Answers the outstanding read with a chunk, which becomes the subscriber's to keep.</summary>
    /// <param name="chunk">The bytes read; not empty.</param>
    /// <exception cref="ArgumentException"><paramref name="chunk"/> is empty.</exception>
    public void Receive(ReadOnlyMemory<byte> chunk)
    {
        if (chunk.IsEmpty)
            throw new ArgumentException("A read answers with a non-empty chunk, or with End.", nameof(chunk));
        Answer(chunk, null, ends: false, lent: false);
    }

    /// <summary>Answers the outstanding read with a chunk of a buffer the reader will reuse: the input is done
    /// with it before control returns to whoever called the reader (the pump, or the completion that answers
    /// now). The chunk goes to the subscriber as it is if that is an output (<see cref="CanLend"/>), which
    /// copies it; otherwise, or when it must be kept for the next subscriber, the input copies it first.</summary>
    /// <param name="chunk">The bytes read; not empty.</param>
    /// <exception cref="ArgumentException"><paramref name="chunk"/> is empty.</exception>
    /// <remarks>Answering from a buffer private to the current thread is safe: delivery runs on this thread, the
    /// pump never runs a read inline from a delivery (<see cref="IInputReader.ScheduleRun"/>), and a chunk lent from
    /// another thread while the pump is still inside <see cref="IInputReader.Read"/> (a completion that raced it) is
    /// copied at once, since that thread goes on before the pump delivers.</remarks>
    public void Lend(ReadOnlyMemory<byte> chunk)
    {
        if (chunk.IsEmpty)
            throw new ArgumentException("A read answers with a non-empty chunk, or with End.", nameof(chunk));
        Answer(chunk, null, ends: false, lent: true);
    }

    /// <summary>Answers the outstanding read with the end of the input.</summary>
    /// <param name="error"><see langword="null"/> for the end of the stream (the peer's FIN), else the typed error
    /// the subscriber gets (<see cref="ConnectionResetException"/>, an <see cref="IOException"/>, ...).</param>
    public void End(Exception? error) => Answer(default, error, ends: true, lent: false);

    /// <summary>Runs the pump: for <see cref="IInputReader.ScheduleRun"/> only, once per schedule.</summary>
    public void Run() => Pump();

    void IThreadPoolWorkItem.Execute() => Pump();

    private void Answer(ReadOnlyMemory<byte> chunk, Exception? error, bool ends, bool lent)
    {
        lock (_lock)
        {
            if (_read == Calling)
            {
                // Answered during Read: the pump takes it when Read returns, on its own thread. A chunk lent from
                // another thread (a completion that raced the pump out of Read) is copied: that thread goes on and
                // may reuse its buffer before the pump delivers.
                if (lent && Environment.CurrentManagedThreadId != _readingThread)
                    (chunk, lent) = (chunk.ToArray(), false);
                (_answer, _answerError, _answerEnds, _answerLent, _read) = (chunk, error, ends, lent, Answered);
                return;
            }
            _read = NoRead;
        }
        Take(chunk, error, ends, lent);
        Pump(); // the pump goes on on the thread that answered
    }

    /// <summary>Delivers, reads and parks until it must wait. Only one runs at a time (<c>_running</c>).</summary>
    private void Pump()
    {
        for (int turns = 0; ; turns++)
        {
            if (turns == _fairShare && _fairShare > 0)
            {
                // Data keeps coming without a wait: go to the back of the queue so that one busy connection
                // cannot starve the others sharing its threads.
                _reader.ScheduleRun(this);
                return;
            }
            IObserver<ReadOnlyMemory<byte>>? target = null;
            ReadOnlyMemory<byte> stash = default;
            Exception? error = null;
            bool finished = false, report = false, parked = false, paused = false;
            IObserver<ReadOnlyMemory<byte>>? pending = null;
            lock (_lock)
            {
                if (_delivering)
                {
                    _delivering = false;
                    pending = _slot.Pending;
                    _slot.Pending = null;
                }
                if (pending is not null)
                {
                    // The OnNext it waited for returned: it takes over if the subscriber left meanwhile.
                    if (_slot.TryAttach(pending))
                        _borrower = _pendingBorrows ? pending : null;
                    else
                        target = pending;
                }
                else if (_ended && _stash.IsEmpty)
                {
                    finished = true;
                    error = _error;
                    target = _slot.Observer;
                    if (target is not null)
                        _slot.Detach();
                    report = !_reported;
                    _reported = true;
                    _running = false;
                }
                else if (_slot.Observer is null || !_slot.Demand || _reader.PausedByOutput)
                {
                    parked = true;
                    _running = false;
                    paused = _slot.Observer is not null && !_pauseCounted; // back-pressure, not a subscriber gone
                    _pauseCounted |= paused;
                }
                else if (!_stash.IsEmpty)
                    (target, stash, _stash, _delivering) = (_slot.Observer, _stash, default, true);
                else
                {
                    _read = Calling;
                    _readingThread = Environment.CurrentManagedThreadId;
                }
            }
            if (pending is not null)
            {
                if (target is not null)
                    pending.OnError(SubscriberSlot<ReadOnlyMemory<byte>>.AlreadySubscribed(_owner)); // a true second subscriber
                else
                    _slot.FollowDemand(pending, _pendingDemand!);
                continue;
            }
            if (finished)
            {
                if (report)
                    _reader.Ending(error); // before the subscriber reacts (say, by completing the output)
                if (target is not null)
                    Terminate(target, error);
                if (report)
                    _reader.Ended(error);
                return;
            }
            if (parked)
            {
                if (paused)
                    _reader.Paused();
                return;
            }
            if (target is not null)
            {
                Deliver(target, stash);
                continue;
            }

            try
            {
                _reader.Read(this);
            }
            catch (Exception e)
            {
                lock (_lock) // a read step that throws, unanswered, ends the input with what it threw
                {
                    if (_read == Calling)
                        (_answerError, _answerEnds, _read) = (e, true, Answered);
                }
            }
            ReadOnlyMemory<byte> chunk;
            bool ends, lent;
            lock (_lock)
            {
                if (_read != Answered)
                {
                    _read = Outstanding; // the answer runs the pump
                    return;
                }
                (chunk, error, ends, lent, _read) = (_answer, _answerError, _answerEnds, _answerLent, NoRead);
                (_answer, _answerError) = (default, null);
            }
            Take(chunk, error, ends, lent);
        }
    }

    /// <summary>What a read brought: the end is recorded, a chunk delivered (or kept for the next subscriber).</summary>
    private void Take(ReadOnlyMemory<byte> chunk, Exception? error, bool ends, bool lent)
    {
        IObserver<ReadOnlyMemory<byte>>? target;
        lock (_lock)
        {
            if (_ended)
                return; // aborted meanwhile: dropped
            if (ends)
            {
                _ended = true;
                _error = error;
                return;
            }
            target = _slot.Observer;
            bool keep = target is null || !_stash.IsEmpty;
            if (lent && (keep || !ReferenceEquals(target, _borrower)))
                chunk = chunk.ToArray(); // kept, or given to a subscriber that may keep it: it must own its bytes
            if (keep)
            {
                // The subscriber left mid-read (keep the chunk for the next one), or bytes given back wait before it.
                _stash = _stash.IsEmpty ? chunk : Concat(_stash, chunk);
                return;
            }
            _delivering = true;
        }
        Deliver(target!, chunk);
    }

    private void Deliver(IObserver<ReadOnlyMemory<byte>> observer, ReadOnlyMemory<byte> chunk)
    {
        _pauseCounted = false; // only the running pump touches it
        _reader.Delivering(chunk);
        var outer = ConnectionTurn.Begin(_owner);
        try
        {
            observer.OnNext(chunk);
        }
        catch (Exception e)
        {
            _reader.SubscriberThrew(e);
        }
        finally
        {
            ConnectionTurn.End(outer);
        }
    }

    // Never let a subscriber's exception escape into an I/O thread.
    private void Terminate(IObserver<ReadOnlyMemory<byte>> observer, Exception? error) =>
        SubscriberSlot<ReadOnlyMemory<byte>>.Terminate(observer, error, _reader.SubscriberThrew);
}
