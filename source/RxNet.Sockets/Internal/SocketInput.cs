using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using RxNet.Internal;
using RxNet.Transport;

namespace RxNet.Sockets.Internal;

/// <summary>
/// The receiving side of a socket connection: one read loop for the connection's life, reading
/// only while someone subscribes, the consumer's demand allows and the connection's own output is
/// below its high-water mark.
/// </summary>
/// <remarks>
/// Each turn first waits with a zero-byte receive, so an idle connection holds no buffer, then
/// reads synchronously into the thread's <see cref="ReceiveSlab"/>.
/// </remarks>
internal sealed class SocketInput : IPausableObservable<ReadOnlyMemory<byte>>, IThreadPoolWorkItem
{
    /// <summary>Chunks read in a row without waiting before the loop yields its thread.</summary>
    private const int FairShare = 16;

    /// <summary>The size of a connection's own receive block when it does not wait for data first.</summary>
    private const int OwnBlockSize = 16 * 1024;

    private readonly SocketConnection _connection;
    private readonly Socket _socket;
    private readonly object _lock;
    private readonly SubscriberSlot<ReadOnlyMemory<byte>> _slot;
    private ReadOnlyMemory<byte> _stash;
    private bool _loopStarted;
    private bool _parked;
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _readable;
    private Action? _onReadable;
    private bool _ended;
    private Exception? _error;
    private byte[]? _ownBlock;
    private int _ownUsed;

    public SocketInput(SocketConnection connection, Socket socket, object gate, bool waitForData)
    {
        _connection = connection;
        _socket = socket;
        _lock = gate;
        _slot = new SubscriberSlot<ReadOnlyMemory<byte>>(gate, Wake);
        if (!waitForData)
            _ownBlock = []; // the first OwnFree allocates the first block
    }

    /// <summary>Bytes delivered to subscribers so far.</summary>
    public long BytesReceived { get; private set; }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, SubscriberSlot<ReadOnlyMemory<byte>>.AlwaysDemand);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(canProduce);
        bool start, busy = false, ended = false;
        Exception? error = null;
        lock (_lock)
        {
            if (_slot.Observer is not null)
                busy = true;
            else if (_ended && _stash.IsEmpty)
                (ended, error) = (true, _error);
            else
                _slot.TryAttach(observer);
            start = !busy && !ended && !_loopStarted;
            _loopStarted |= start;
        }
        if (busy)
        {
            observer.OnError(SubscriberSlot<ReadOnlyMemory<byte>>.AlreadySubscribed(_connection));
            return System.Reactive.Disposables.Disposable.Empty;
        }
        if (ended)
        {
            Terminate(observer, error);
            return System.Reactive.Disposables.Disposable.Empty;
        }
        var subscription = _slot.Subscription(observer);
        _slot.FollowDemand(observer, canProduce);
        if (start)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        else
            Wake();
        return subscription;
    }

    /// <summary>Re-checks whether reading may go on: after the output drained or the input was freed.</summary>
    public void Wake()
    {
        lock (_lock)
        {
            if (!_parked || (_ended && _stash.IsEmpty && _slot.Observer is null))
                return;
            _parked = false;
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Ends the input because the connection was aborted.</summary>
    public void Abort(Exception error)
    {
        IObserver<ReadOnlyMemory<byte>>? observer;
        lock (_lock)
        {
            if (_ended)
                return;
            _ended = true;
            _error = error;
            _stash = default;
            observer = _loopStarted && !_parked ? null : _slot.Observer; // a running read reports it itself
            if (observer is not null)
                _slot.Detach();
        }
        if (observer is not null)
            Terminate(observer, error);
        Wake();
    }

    void IThreadPoolWorkItem.Execute() => ReadLoop();

    /// <summary>
    /// Reads until it must wait. Waiting for data is a zero-byte receive whose completion calls
    /// <see cref="OnReadable"/>; waiting for demand parks the loop until <see cref="Wake"/>. Written
    /// as callbacks rather than an async method so an idle connection holds no state machine.
    /// </summary>
    private void ReadLoop()
    {
        for (int turns = 0; ; turns++)
        {
            if (turns == FairShare)
            {
                // Data keeps coming without a wait: go to the back of the pool's queue so one busy
                // connection cannot starve the others sharing its threads.
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }
            IObserver<ReadOnlyMemory<byte>>? stashObserver = null;
            ReadOnlyMemory<byte> stash = default;
            IObserver<ReadOnlyMemory<byte>>? ending = null;
            Exception? endError = null;
            bool finished = false;
            lock (_lock)
            {
                if (_ended && _stash.IsEmpty)
                {
                    finished = true;
                    ending = _slot.Observer;
                    endError = _error;
                    if (ending is not null)
                        _slot.Detach();
                    _parked = true; // finished for good: Wake has nothing to resume
                }
                else if (_slot.Observer is null || !_slot.Demand || _connection.Output.PausesInput)
                {
                    _parked = true;
                    if (_slot.Observer is not null)
                        _connection.Metrics.InputPaused(); // back-pressure, not a subscriber gone
                    return;
                }
                else if (!_stash.IsEmpty)
                {
                    stashObserver = _slot.Observer;
                    stash = _stash;
                    _stash = default;
                }
            }
            if (finished)
            {
                if (ending is not null)
                    Terminate(ending, endError);
                return;
            }
            if (stashObserver is not null)
            {
                Deliver(stashObserver, stash);
                continue;
            }

            ValueTask<int> wait;
            try
            {
                // Either wait for data with no buffer (the default), or read straight into this
                // connection's own block: one system call less per read, 16 KiB more per connection.
                wait = _ownBlock is null
                    ? _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None)
                    : _socket.ReceiveAsync(OwnFree(), SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                End(e);
                return;
            }
            if (!wait.IsCompleted)
            {
                _readable = wait.ConfigureAwait(false).GetAwaiter();
                _readable.UnsafeOnCompleted(_onReadable ??= OnReadable);
                return;
            }
            if (!Read(wait.ConfigureAwait(false).GetAwaiter()))
                return;
        }
    }

    private void OnReadable()
    {
        var readable = _readable;
        _readable = default;
        if (Read(readable))
            ReadLoop();
    }

    /// <summary>Completes the wait and delivers what was read: after a zero-byte wait, reads what is
    /// there into the thread's slab; with an own block, the receive itself filled it.</summary>
    /// <returns>Whether the loop goes on.</returns>
    private bool Read(ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter readable)
    {
        int received;
        SocketError error = SocketError.Success;
        try
        {
            received = readable.GetResult();
            if (_ownBlock is null)
                received = _socket.Receive(ReceiveSlab.Free(), SocketFlags.None, out error);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            End(e);
            return false;
        }
        if (error == SocketError.WouldBlock)
            return true;
        if (error != SocketError.Success)
        {
            End(new SocketException((int)error));
            return false;
        }
        if (received == 0)
        {
            End(null);
            return false;
        }
        var chunk = _ownBlock is null ? ReceiveSlab.Take(received) : OwnTake(received);
        IObserver<ReadOnlyMemory<byte>>? target;
        lock (_lock)
        {
            target = _slot.Observer;
            if (target is null)
                _stash = chunk; // the subscriber left mid-read: keep the chunk for the next one
        }
        if (target is not null)
            Deliver(target, chunk);
        return true;
    }

    /// <summary>The free tail of this connection's own block (a new one when too little is left).
    /// Blocks are never reused, for the same reason as slabs: chunks belong to the subscriber.</summary>
    private Memory<byte> OwnFree()
    {
        if (_ownBlock!.Length - _ownUsed < ReceiveSlab.MinimumRead)
        {
            _ownBlock = GC.AllocateUninitializedArray<byte>(OwnBlockSize);
            _ownUsed = 0;
        }
        return _ownBlock.AsMemory(_ownUsed);
    }

    private ReadOnlyMemory<byte> OwnTake(int count)
    {
        var chunk = new ReadOnlyMemory<byte>(_ownBlock, _ownUsed, count);
        _ownUsed += count;
        return chunk;
    }

    private void Deliver(IObserver<ReadOnlyMemory<byte>> observer, ReadOnlyMemory<byte> chunk)
    {
        BytesReceived += chunk.Length;
        _connection.Metrics.Received(chunk.Length);
        var outer = ConnectionTurn.Begin(_connection);
        try
        {
            observer.OnNext(chunk);
        }
        catch (Exception e)
        {
            SubscriberThrew(e);
        }
        finally
        {
            ConnectionTurn.End(outer);
        }
    }

    /// <summary>The read loop ended: end of stream (<paramref name="fault"/> null) or a socket error.</summary>
    private void End(Exception? fault)
    {
        Exception? error;
        IObserver<ReadOnlyMemory<byte>>? observer;
        lock (_lock)
        {
            if (!_ended)
            {
                _ended = true;
                _error = fault is null ? null : SocketErrors.ToConnectionError(fault, _connection);
            }
            error = _error;
            observer = _slot.Observer;
            if (observer is not null && _stash.IsEmpty)
                _slot.Detach();
            else
                observer = null;
        }
        _connection.InputEnding(error); // before the subscriber reacts (say, by completing the output)
        if (observer is not null)
            Terminate(observer, error);
        _connection.InputFinished(error);
    }

    // Never let a subscriber's exception escape into an I/O thread.
    private void Terminate(IObserver<ReadOnlyMemory<byte>> observer, Exception? error) =>
        SubscriberSlot<ReadOnlyMemory<byte>>.Terminate(observer, error, SubscriberThrew);

    private void SubscriberThrew(Exception error)
    {
        Log.SubscriberThrew(_connection.Logger, error, _connection);
        _connection.Fail(error);
    }
}
