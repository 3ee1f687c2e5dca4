using System.Buffers;
using RxNet.Internal;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// The plain-text input of a TLS connection: one read loop over the <see cref="System.Net.Security.SslStream"/>, running only
/// while someone subscribes, the consumer's demand allows and the connection's own output is below its
/// high-water mark (the same rules as the socket input). While it does not run, the stream's bounded
/// queue fills and pauses the connection underneath.
/// </summary>
/// <remarks>Each read first waits with a zero-byte read, so an idle connection holds no decryption
/// buffer of its own; a chunk is copied out of a pooled buffer into an array of its own, which the
/// subscriber keeps.</remarks>
internal sealed class TlsInput : IConnectionInput
{
    /// <summary>The largest chunk delivered: one TLS record's worth.</summary>
    public const int ReadSize = 16 * 1024;

    private readonly TlsConnection _connection;
    private readonly SslStreamLease _ssl;
    private readonly TlsDispatch _dispatch;
    private readonly object _lock;
    private readonly SubscriberSlot<ReadOnlyMemory<byte>> _slot;
    private ReadOnlyMemory<byte> _stash;
    private bool _running;
    private bool _ended;
    private bool _reported;
    private Exception? _error;

    public TlsInput(TlsConnection connection, SslStreamLease ssl, object gate, TlsDispatch dispatch)
    {
        _dispatch = dispatch;
        _connection = connection;
        _ssl = ssl;
        _lock = gate;
        _slot = new SubscriberSlot<ReadOnlyMemory<byte>>(gate, Wake);
    }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, SubscriberSlot<ReadOnlyMemory<byte>>.AlwaysDemand);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(canProduce);
        bool busy = false, ended = false;
        Exception? error = null;
        lock (_lock)
        {
            if (_slot.Observer is not null)
                busy = true;
            else if (_ended && _stash.IsEmpty && !_running)
                (ended, error) = (true, _error);
            else
                _slot.TryAttach(observer);
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
        Wake();
        return subscription;
    }

    /// <summary>Starts the read loop again if it is parked and may now run.</summary>
    public void Wake()
    {
        lock (_lock)
        {
            if (_running || _slot.Observer is null)
                return;
            _running = true;
        }
        _dispatch.Post(() => _ = LoopAsync());
    }

    /// <summary>Ends the input because the connection was aborted.</summary>
    public void Abort(Exception error)
    {
        IObserver<ReadOnlyMemory<byte>>? observer = null;
        lock (_lock)
        {
            if (_ended)
                return;
            _ended = true;
            _reported = true; // the connection aborts: nothing more to tell it
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

    private async Task LoopAsync()
    {
        while (true)
        {
            IObserver<ReadOnlyMemory<byte>>? target = null;
            ReadOnlyMemory<byte> stash = default;
            bool finished = false, report = false;
            Exception? error = null;
            lock (_lock)
            {
                if (_ended && _stash.IsEmpty)
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
                else if (_slot.Observer is null || !_slot.Demand || _connection.Output.PausesInput)
                {
                    _running = false;
                    return;
                }
                else if (!_stash.IsEmpty)
                {
                    (target, stash, _stash) = (_slot.Observer, _stash, default);
                }
            }
            if (finished)
            {
                if (report)
                    _connection.InputEnding(error);
                if (target is not null)
                    Terminate(target, error);
                if (report)
                    _connection.InputFinished(error);
                return;
            }
            if (target is not null)
            {
                Deliver(target, stash);
                continue;
            }

            ReadOnlyMemory<byte> chunk;
            if (!_ssl.TryEnter())
            {
                // The session is gone (a reset underneath freed it): report what ended the connection underneath.
                End(_connection.InputFault(new IOException($"The TLS session on {_connection} is closed.")));
                continue;
            }
            try
            {
                await _ssl.Gate.EnterReadAsync().ConfigureAwait(false);
                try
                {
                    await _ssl.Stream.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false); // wait for data with no buffer
                    byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
                    try
                    {
                        int n = await _ssl.Stream.ReadAsync(buffer.AsMemory(0, ReadSize)).ConfigureAwait(false);
                        chunk = n == 0 ? default : buffer.AsSpan(0, n).ToArray();
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
                finally
                {
                    _ssl.Gate.ExitRead();
                }
            }
            catch (Exception e)
            {
                End(_connection.InputFault(e));
                continue;
            }
            finally
            {
                _ssl.Exit();
            }
            if (chunk.IsEmpty)
            {
                End(null);
                continue;
            }
            lock (_lock)
            {
                target = _slot.Observer;
                if (target is null)
                    _stash = chunk; // the subscriber left mid-read: keep the chunk for the next one
            }
            if (target is not null)
                Deliver(target, chunk);
        }
    }

    private void End(Exception? error)
    {
        lock (_lock)
        {
            if (_ended)
                return;
            _ended = true;
            _error = error;
        }
    }

    private void Deliver(IObserver<ReadOnlyMemory<byte>> observer, ReadOnlyMemory<byte> chunk)
    {
        var outer = TlsTurn.Begin(_connection);
        try
        {
            observer.OnNext(chunk);
        }
        catch (Exception e)
        {
            _connection.Fail(e);
        }
        finally
        {
            TlsTurn.End(outer);
        }
    }

    // Never let a subscriber's exception escape into an I/O thread.
    private void Terminate(IObserver<ReadOnlyMemory<byte>> observer, Exception? error) =>
        SubscriberSlot<ReadOnlyMemory<byte>>.Terminate(observer, error, _connection.Fail);
}
