using System.Reactive.Disposables;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>
/// The payload of a streamed message (<see cref="WebSocketMessage.Body"/>): cold and unicast (one subscription, ever),
/// pausable, and the socket reads the message's next frame only when the subscriber wants more and everything already
/// read has been handed over (<see cref="NeedsFrames"/>). A compressed message's inflate output is produced in steps of
/// <see cref="MessageAssembler.InflateStep"/> bytes, only while the subscriber wants them, so pausing the stream pauses
/// inflating too.
/// </summary>
/// <remarks>One thread hands chunks over at a time (the reading thread, or whichever thread turned the demand on); no
/// lock is held while the subscriber runs. A subscriber that leaves before the end makes the rest of the message be
/// read and dropped, so the socket goes on with the next message.</remarks>
internal sealed class MessageBody : IPausableObservable<ReadOnlyMemory<byte>>
{
    private readonly Lock _gate = new();
    private readonly Queue<ReadOnlyMemory<byte>> _pending = new();
    private readonly MessageInflater? _inflater;
    private readonly long _maxLength;
    private readonly bool _checkText;
    private readonly Action _readingChanged;
    private readonly Action<Exception> _violated;
    private IObserver<ReadOnlyMemory<byte>>? _observer;
    private Utf8Validator _utf8;
    private long _length;
    private bool _subscribed;
    private bool _demand;
    private bool _discard;
    private bool _inflating;
    private bool _ended;
    private bool _done;
    private bool _draining;
    private bool _again;
    private Exception? _error;

    /// <param name="inflater">For a compressed message: the inflater its frames are fed to.</param>
    /// <param name="first">What was read before the message became a stream (length counted already).</param>
    /// <param name="length">The message's length so far (inflated, for a compressed one).</param>
    /// <param name="maxLength">The longest streamed message (inflated); past it, 1009.</param>
    /// <param name="utf8">The text check so far, for compressed text (uncompressed text the decoder checks); null for none.</param>
    /// <param name="readingChanged">Tells the socket that <see cref="NeedsFrames"/> may have changed.</param>
    /// <param name="violated">Tells the socket the inflated message broke a rule (1007, 1009).</param>
    /// <param name="ended">Whether the message's last frame was read already.</param>
    public MessageBody(MessageInflater? inflater, ReadOnlyMemory<byte> first, long length, long maxLength, Utf8Validator? utf8,
        bool ended, Action readingChanged, Action<Exception> violated)
    {
        _ended = ended;
        _inflater = inflater;
        _inflating = inflater is not null;
        _length = length;
        _maxLength = maxLength;
        _checkText = utf8 is not null;
        _utf8 = utf8 ?? default;
        _readingChanged = readingChanged;
        _violated = violated;
        if (!first.IsEmpty)
            _pending.Enqueue(first);
    }

    /// <summary>Whether the socket should read the message's next frame: wanted, and nothing read is waiting.</summary>
    public bool NeedsFrames
    {
        get
        {
            lock (_gate)
                return !_done && !_ended && _pending.Count == 0 && !_inflating && (_discard || (_observer is not null && _demand));
        }
    }

    /// <summary>Whether the end (or an error) was handed over: the socket is back to whole messages.</summary>
    public bool IsDone
    {
        get
        {
            lock (_gate)
                return _done;
        }
    }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, null);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool>? canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_gate)
        {
            if (_subscribed)
            {
                observer.OnError(new InvalidOperationException("A streamed message's body is read once: it is unicast, as a connection's input."));
                return Disposable.Empty;
            }
            _subscribed = true;
            _observer = observer;
            _demand = true; // a demand that has not said anything yet counts as "produce"
        }
        var demand = canProduce?.Subscribe(on =>
        {
            lock (_gate)
                _demand = on;
            Changed();
        });
        Changed();
        return Disposable.Create(() =>
        {
            demand?.Dispose();
            lock (_gate)
            {
                _observer = null;
                _discard = true; // the rest is read and dropped
            }
            Changed();
        });
    }

    /// <summary>Takes the next frame's payload (reading thread): compressed bytes are fed to the inflater.</summary>
    public void Add(ReadOnlyMemory<byte> payload, bool last)
    {
        lock (_gate)
        {
            if (_inflater is not null)
            {
                _inflater.Feed(payload);
                if (last)
                    _inflater.EndMessage();
                _inflating = true;
            }
            else if (!payload.IsEmpty)
            {
                _pending.Enqueue(payload);
            }
            _ended |= last;
        }
        Changed();
    }

    /// <summary>The socket ended before the message did.</summary>
    public void Fail(Exception error)
    {
        lock (_gate)
        {
            if (_done || _error is not null)
                return;
            _error = error;
            _ended = true;
            _inflating = false;
            _pending.Clear();
        }
        Changed();
    }

    private void Changed()
    {
        Drain();
        _readingChanged();
    }

    /// <summary>Hands over what is there while the subscriber wants it; one thread at a time.</summary>
    private void Drain()
    {
        lock (_gate)
        {
            if (_draining)
            {
                _again = true;
                return;
            }
            _draining = true;
        }
        while (true)
        {
            IObserver<ReadOnlyMemory<byte>>? observer;
            ReadOnlyMemory<byte> chunk = default;
            bool end = false;
            Exception? error;
            Exception? violation = null;
            lock (_gate)
            {
                bool go = !_done && (_discard || (_observer is not null && _demand) || _error is not null);
                if (go && _pending.TryDequeue(out chunk))
                {
                }
                else if (go && _inflating)
                {
                    violation = TryInflate(out chunk);
                }
                else if (go && _ended)
                {
                    end = true;
                    _done = true;
                }
                else if (_again)
                {
                    _again = false;
                    continue;
                }
                else
                {
                    _draining = false;
                    return;
                }
                observer = _discard ? null : _observer;
                error = _error;
                if (end || violation is not null)
                    _observer = null;
            }
            if (violation is not null)
            {
                observer?.OnError(violation);
                _violated(violation); // the socket closes, and fails this body (already done)
            }
            else if (end && error is not null)
            {
                observer?.OnError(error);
            }
            else if (end)
            {
                observer?.OnCompleted();
            }
            else if (!chunk.IsEmpty)
            {
                observer?.OnNext(chunk);
            }
        }
    }

    /// <summary>One inflate step, under the gate (the reading thread may feed meanwhile); the chunk is its own array.</summary>
    private Exception? TryInflate(out ReadOnlyMemory<byte> chunk)
    {
        chunk = default;
        byte[] buffer = new byte[MessageAssembler.InflateStep];
        int read;
        try
        {
            read = _inflater!.Read(buffer);
        }
        catch (Exception e) when (e is WebSocketProtocolException or ObjectDisposedException)
        {
            return Violation(e);
        }
        if (read == 0)
        {
            _inflating = false; // the bytes fed so far are used up
            if (_ended)
            {
                _inflater.Done();
                if (_checkText && !_utf8.AtBoundary)
                    return Violation(new WebSocketProtocolException(WebSocketCloseCode.InvalidPayloadData, "The text message ends inside a UTF-8 character."));
            }
            return null;
        }
        if (_length + read > _maxLength)
            return Violation(new WebSocketProtocolException(WebSocketCloseCode.MessageTooBig,
                $"A compressed message inflates to more than the limit of {_maxLength} bytes for a streamed message."));
        if (_checkText && _utf8.Feed(buffer.AsSpan(0, read)) is var bad and >= 0)
            return Violation(new WebSocketProtocolException(WebSocketCloseCode.InvalidPayloadData, $"The text message is not UTF-8 at byte {_length + bad}."));
        _length += read;
        chunk = buffer.AsMemory(0, read);
        return null;
    }

    private Exception Violation(Exception e)
    {
        _done = true;
        _inflating = false;
        _pending.Clear();
        return e;
    }
}
