using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RxNet.Framing.Internal;
using RxNet.Internal;

namespace RxNet;

/// <summary>
/// Reads frames from a byte stream with one decoder after another, keeping the bytes that one decoder
/// left for the next: LineReceiver's raw mode, STARTTLS, HTTP's body after its headers.
/// </summary>
/// <remarks>
/// <para>One <see cref="Read{T}"/> at a time: subscribing it decodes what is buffered, then what arrives;
/// disposing it (say, by <c>Take(1)</c>, even from inside <c>OnNext</c>) stops decoding at once and
/// leaves every byte after the last frame delivered for the next <see cref="Read{T}"/>. A read subscribed
/// while another is active (typically from inside its <c>OnNext</c>) waits and starts when that one ends. While no read is
/// subscribed, the input is paused, so nothing piles up (a plain observable is held, within a limit, by
/// <see cref="ConnectionExtensions.ToConnectionInput(IObservable{ReadOnlyMemory{byte}}, int)"/>).</para>
/// <para>The input is subscribed on the first read and stays subscribed until <see cref="Dispose"/>. The
/// end of the input (or its error) reaches the read that is subscribed when the buffered frames are
/// used up.</para>
/// </remarks>
public sealed class FrameReader : IDisposable
{
    private readonly IConnectionInput _input;
    private readonly Lock _gate = new();
    private readonly ChunkBuffer _buffer = new(); // only the draining thread touches it
    private readonly Queue<ReadOnlyMemory<byte>> _arrived = new();
    private readonly BehaviorSubject<bool> _demand = new(false);
    private readonly SingleAssignmentDisposable _inputSubscription = new();
    private readonly LinkedList<Reading> _waiting = new();
    private Reading? _current;
    private bool _subscribed;
    private readonly SerialDrain _drain;
    private bool _ended;
    private bool _disposed;
    private Exception? _error;

    /// <summary>Creates a reader over <paramref name="input"/>; nothing is subscribed until the first read.</summary>
    /// <param name="input">The bytes, typically a connection's <c>Input</c>: paused while no read is subscribed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    public FrameReader(IConnectionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _drain = new SerialDrain(_gate);
    }

    /// <summary>Creates a reader over an observable of bytes: a connection's input (an <see cref="IConnectionInput"/>
    /// typed as a plain observable) is read as it is; any other, which cannot pause, is adapted by
    /// <see cref="ConnectionExtensions.ToConnectionInput(IObservable{ReadOnlyMemory{byte}}, int)"/>, so what it pushes
    /// while no read is subscribed is held, up to <see cref="ConnectionExtensions.DefaultMaxHeldInputBytes"/>.</summary>
    /// <param name="input">The bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    public FrameReader(IObservable<ReadOnlyMemory<byte>> input)
        : this(input as IConnectionInput ?? (input ?? throw new ArgumentNullException(nameof(input))).ToConnectionInput())
    {
    }

    /// <summary>Frames decoded by <paramref name="decoder"/>, from the first byte not yet used.</summary>
    /// <typeparam name="T">The frame type.</typeparam>
    /// <param name="decoder">The decoder; it serves this read only.</param>
    /// <returns>A cold observable: frames while subscribed; it completes at the end of the input (after
    /// the decoder's end-of-stream rule) and fails with the input's error or a <see cref="FramingException"/>.</returns>
    /// <remarks>Subscribed while another read is active, it starts when that one is disposed or ends.</remarks>
    public IObservable<T> Read<T>(IDecoder<T> decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        return Observable.Create<T>(observer => Attach(new Reading<T>(decoder, observer)));
    }

    /// <summary>
    /// The bytes themselves from the first byte not yet used: what the last read left buffered, then the rest of
    /// the input as it arrives. The input for whatever takes the stream over, such as TLS after STARTTLS.
    /// </summary>
    /// <returns>A read like <see cref="Read{T}"/>, whose frames are the chunks (or their unused rest); as an
    /// <see cref="IConnectionInput"/> it pauses the input underneath while its consumer asks it to.</returns>
    public IConnectionInput ReadRaw() => new RawRead(this);

    /// <summary>Unsubscribes the input, giving the bytes still buffered back to it (<see cref="IConnectionInput.Unread"/>),
    /// so its next subscriber reads on from the first byte no read used.</summary>
    /// <remarks>The bytes are given back when it is disposed from inside a read's <c>OnNext</c> (<c>Take(1)</c>,
    /// <c>FirstAsync</c>, <c>Decode</c>'s own reader) or while no chunk is being decoded; disposed from another thread in
    /// the middle of decoding, it drops them.</remarks>
    public void Dispose()
    {
        ReadOnlyMemory<byte> rest = default;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            if (!_drain.IsOnOtherThread)
                rest = TakeRest();
        }
        if (!rest.IsEmpty)
            _input.Unread(rest); // before unsubscribing: the input keeps them for its next subscriber
        _inputSubscription.Dispose();
        _demand.Dispose();
    }

    /// <summary>Everything buffered and arrived, as one piece (the chunk's own rest when that is all); under the gate.</summary>
    private ReadOnlyMemory<byte> TakeRest()
    {
        foreach (var chunk in _arrived)
            _buffer.Append(chunk);
        _arrived.Clear();
        var bytes = _buffer.Bytes;
        _buffer.Bytes = System.Buffers.ReadOnlySequence<byte>.Empty;
        return bytes.IsSingleSegment ? bytes.First : System.Buffers.BuffersExtensions.ToArray(bytes);
    }

    private IDisposable Attach(Reading reading)
    {
        bool subscribe;
        lock (_gate)
        {
            if (_current is null)
                _current = reading;
            else
                _waiting.AddLast(reading);
            subscribe = !_subscribed;
            _subscribed = true;
        }
        // Demand before subscribing, so an input that pushes while being subscribed is not paused for nothing.
        SetDemand(true);
        if (subscribe)
        {
            var observer = System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(OnChunk, OnInputEnd, () => OnInputEnd(null));
            _inputSubscription.Disposable = _input.Subscribe(observer, _demand);
        }
        Drain();
        return Disposable.Create(() => Detach(reading));
    }

    private void Detach(Reading reading)
    {
        bool idle;
        lock (_gate)
        {
            if (!ReferenceEquals(_current, reading))
            {
                _waiting.Remove(reading);
                return;
            }
            _current = _waiting.First?.Value;
            if (_current is not null)
                _waiting.RemoveFirst();
            idle = _current is null;
        }
        if (idle)
            SetDemand(false);
        else
            Drain(); // the next read starts on what is buffered
    }

    private void SetDemand(bool on)
    {
        if (!_demand.IsDisposed)
            _demand.OnNext(on);
    }

    private void OnChunk(ReadOnlyMemory<byte> chunk)
    {
        lock (_gate)
            _arrived.Enqueue(chunk);
        Drain();
    }

    private void OnInputEnd(Exception? error)
    {
        lock (_gate)
        {
            _ended = true;
            _error = error;
        }
        Drain();
    }

    /// <summary>Decodes while a read is subscribed and makes progress. One thread drains at a time;
    /// a call made meanwhile (a chunk, a new read from inside OnNext) makes it go round once more. A subscriber's
    /// exception goes back to whoever delivered the chunk (a connection aborts).</summary>
    private void Drain() => _drain.Run(this, static self => self.DrainStep());

    // One round of the drain: whether to go round again.
    private bool DrainStep()
    {
        Reading? reading;
        bool ended;
        Exception? error;
        lock (_gate)
        {
            while (_arrived.TryDequeue(out var chunk))
                _buffer.Append(chunk);
            (reading, ended, error) = (_current, _ended, _error);
        }
        var step = reading?.Step(ref _buffer.Bytes, ended, error) ?? Step.NeedMore;
        // While the same read stays subscribed, decode on without the lock: it is needed
        // only to take in new chunks or to see the read change.
        while (step == Step.Delivered && ReferenceEquals(Volatile.Read(ref _current), reading))
            step = reading!.Step(ref _buffer.Bytes, ended, error);
        if (step == Step.Delivered)
            return true;
        if (step == Step.Finished)
        {
            Detach(reading!);
            return true;
        }
        lock (_gate)
            return !_drain.TryLeave(nothingLeft: _arrived.Count == 0);
    }

    /// <summary>A raw read that passes its consumer's demand on to the input.</summary>
    private sealed class RawRead(FrameReader reader) : IConnectionInput
    {
        public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => reader.Read(RawDecoder.Instance).Subscribe(observer);

        public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
        {
            var reading = Subscribe(observer);
            var demand = canProduce.Subscribe(reader.SetDemand, _ => reader.SetDemand(true), () => reader.SetDemand(true));
            return StableCompositeDisposable.Create(demand, reading);
        }
    }

    /// <summary>Hands out the buffered bytes as they are, one chunk (or its rest) at a time, without copying.</summary>
    private sealed class RawDecoder : IDecoder<ReadOnlyMemory<byte>>
    {
        public static readonly RawDecoder Instance = new();

        public bool TryDecode(ref System.Buffers.ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame)
        {
            if (buffer.IsEmpty)
            {
                frame = default;
                return false;
            }
            frame = buffer.First.IsEmpty ? System.Buffers.BuffersExtensions.ToArray(buffer) : buffer.First;
            buffer = buffer.Slice(frame.Length);
            return true;
        }

        public bool TryDecodeFinal(ref System.Buffers.ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame) => TryDecode(ref buffer, out frame);
    }

    private enum Step
    {
        Delivered,
        NeedMore,
        Finished,
    }

    private abstract class Reading
    {
        public abstract Step Step(ref System.Buffers.ReadOnlySequence<byte> buffer, bool ended, Exception? error);
    }

    private sealed class Reading<T>(IDecoder<T> decoder, IObserver<T> observer) : Reading
    {
        private bool _done;

        public override Step Step(ref System.Buffers.ReadOnlySequence<byte> buffer, bool ended, Exception? error)
        {
            if (_done)
                return FrameReader.Step.Finished;
            T frame;
            try
            {
                if (!buffer.IsEmpty && decoder.TryDecode(ref buffer, out frame))
                    return Deliver(frame);
                if (!ended)
                    return FrameReader.Step.NeedMore;
                if (error is null && !buffer.IsEmpty)
                {
                    if (decoder.TryDecodeFinal(ref buffer, out frame))
                        return Deliver(frame);
                    if (!buffer.IsEmpty)
                        throw new IncompleteFrameException("a frame", buffer.Length);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Fail(e);
                return FrameReader.Step.Finished;
            }
            _done = true;
            if (error is null)
                observer.OnCompleted();
            else
                observer.OnError(error);
            return FrameReader.Step.Finished;
        }

        private void Fail(Exception error)
        {
            _done = true;
            observer.OnError(error);
        }

        private Step Deliver(T frame)
        {
            observer.OnNext(frame);
            return FrameReader.Step.Delivered;
        }
    }
}
