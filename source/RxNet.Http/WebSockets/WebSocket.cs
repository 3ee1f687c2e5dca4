using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RxNet.Http.WebSockets.Internal;

namespace RxNet.Http;

/// <summary>
/// A WebSocket (RFC 6455): to messages what a connection is to bytes. <see cref="Messages"/> in, <see cref="Send"/>
/// out, <see cref="Closed"/> once with the code, the reason and who closed. A server gets one from
/// <see cref="WebSocketHttpExtensions.AcceptWebSocket"/>, a client from <c>ConnectWebSocket</c>
/// (<see cref="WebSocketClientExtensions"/>).
/// </summary>
/// <remarks>
/// <para><b>Reading.</b> <see cref="Messages"/> is cold and unicast, as a connection's input: nothing is read until it is
/// subscribed, and while it is paused (<see cref="IPausableObservable{T}"/>, as <c>WriteTo</c> does) or not subscribed,
/// nothing more is read, so a peer that floods a slow handler is held back by TCP's window, not buffered. Control
/// frames are handled as they are read: a ping is answered with a pong, a close with a close. Keep-alive pings run only
/// while reading (a pong cannot be seen otherwise). <see cref="Messages"/> completes after a clean close and fails with
/// <see cref="WebSocketProtocolException"/> (a violation by the peer, or the connection ending without a close frame),
/// <see cref="TimeoutException"/> (no pong or no close answer in time) or the connection's own error.</para>
/// <para><b>Writing.</b> <see cref="Send"/> fragments each message at <see cref="WebSocketOptions.SendFrameSize"/>
/// and has the connection's flow control: <c>source.WriteTo(socket.Send)</c> pauses a pausable source and bounds any
/// other by <see cref="WriteOptions"/> (whole messages dropped or the socket aborted, never bytes). Writing to it while
/// handling a message (an echo) pauses reading while the output is above its high-water mark, so a peer that does
/// not read what it is sent is held too. Completing it closes with <see cref="WebSocketCloseCode.NormalClosure"/>.
/// Messages sent after a close frame went out are dropped, as the RFC requires.</para>
/// <para><b>Closing.</b> <see cref="Close"/> sends a close frame and waits up to
/// <see cref="WebSocketOptions.CloseTimeout"/> for the peer's, reading (and delivering) what comes before it. A close
/// from the peer is answered with its code. Then the server closes the TCP connection (RFC 6455 §7.1.1); a client waits
/// for the server to do so, up to <see cref="WebSocketOptions.CloseTimeout"/>, then closes it itself.
/// <see cref="Dispose"/> aborts the connection.</para>
/// <para><b>Ping and pong.</b> <see cref="Ping"/> sends a ping of the caller's; <see cref="Pongs"/> shows every pong
/// read, whether it answers a ping of this side's or not. The keep-alive's own pings go on beside them (see
/// <see cref="Ping"/> for how their answers relate).</para>
/// <para><b>Threading.</b> Messages and pongs arrive on the connection's I/O thread, one at a time, in the order their
/// frames were read; timers run on the scheduler given at the upgrade. <see cref="Send"/>, <see cref="Ping"/>,
/// <see cref="Close"/> and the timers may be called from any thread: frames are written under one lock, so a ping or
/// a close never cuts a frame in two.</para>
/// </remarks>
public sealed class WebSocket : IDisposable
{
    private readonly IConnection _connection;
    private readonly IScheduler _scheduler;
    private readonly WebSocketOptions _options;
    private readonly WebSocketRole _role;
    private readonly FrameReader _reader;
    private readonly IDecoder<WebSocketFrame> _decoder;
    private readonly WebSocketFrameEncoder _encoder; // shared: a frame is encoded into a per-thread scratch buffer
    private readonly MessageAssembler _assembler;
    private readonly MessageDeflater? _deflater;
    private readonly Lock _gate = new();
    private readonly AsyncSubject<WebSocketClosed> _closed = new();
    private const int MaxPingPayload = 125; // a control frame's limit (RFC 6455 §5.5)
    // Made when first subscribed (most sockets never look at pongs); synchronized: pongs come from the read, the end
    // may come from a timer or Dispose on another thread. Under the gate.
    private ISubject<ReadOnlyMemory<byte>>? _pongs;
    // The read's, the timers' and the drain's subscriptions: plain fields, as SerialDisposable without its object. An
    // idle socket holds its read and an entry in its scheduler's keep-alive wheel, nothing more.
    private IDisposable? _read;
    private IDisposable? _pingTimeout;
    private IDisposable? _closeTimeout;
    private IDisposable? _drain;
    // The read, the connection's end, the drain and the timers reach the socket through this link, emptied when it
    // ends: a scheduler may keep a cancelled timer (and what its action holds) until it falls due, and a closed socket
    // must not live on for a keep-alive interval.
    private readonly SocketLink _link;
    private IObserver<WebSocketMessage>? _observer;
    private bool _demand;
    private bool _reading;
    private (WebSocketCloseCode Code, string Reason)? _closeSent;
    private byte[]? _pingPayload;
    private byte[]? _pingAfterKeepAlive;
    private uint _pings;
    private WebSocketClosed? _result;
    private Exception? _error;

    internal WebSocket(IConnection connection, IScheduler scheduler, WebSocketOptions options, WebSocketRole role, string? subprotocol,
        WebSocketDeflate? deflate = null)
    {
        _connection = connection;
        _scheduler = scheduler;
        _options = options;
        _role = role;
        _link = new SocketLink(this);
        Subprotocol = subprotocol;
        Extensions = deflate?.Header ?? "";
        _reader = new FrameReader(connection.Input);
        // Streaming: frames are read in pieces, and the limit on the wire is the streamed messages' (ADR 0049).
        bool streams = options.StreamThreshold is not null;
        _decoder = new WebSocketFrameDecoder(role, streams ? options.MaxStreamedMessageSize : options.MaxMessageSize,
            perMessageDeflate: deflate is not null, pieceSize: streams ? MessageAssembler.InflateStep : 0);
        _encoder = WebSocketFrameCodec.EncoderFor(role);
        _assembler = new MessageAssembler(options.MaxMessageSize, deflate?.CreateInflater(role), options.StreamThreshold,
            options.MaxStreamedMessageSize, this);
        _deflater = deflate?.CreateDeflater(role);
        Messages = new MessageStream(this);
        Send = new MessageOutput(this, connection.Output);
        // A connection that ends while nobody reads still ends the socket.
        connection.Closed.Subscribe((IObserver<ConnectionClosed>)_link);
    }

    /// <summary>The whole messages received, up to <see cref="WebSocketOptions.MaxMessageSize"/> each: cold, unicast
    /// and pausable (see the remarks on <see cref="WebSocket"/>).</summary>
    /// <remarks>A second subscriber while one is subscribed gets <see cref="InvalidOperationException"/>; a subscriber
    /// after the first one left reads on from the next message. A subscriber after the end gets the end.</remarks>
    public IPausableObservable<WebSocketMessage> Messages { get; }

    /// <summary>The messages to send, with the connection's <c>Writable</c> and <c>PendingBytes</c>; completing it
    /// closes the socket normally, an error closes it with <see cref="WebSocketCloseCode.InternalError"/>. A received
    /// streamed message (<see cref="WebSocketMessage.IsStreamed"/>) cannot be sent back as it is: <c>OnNext</c> throws
    /// <see cref="ArgumentException"/>.</summary>
    public IFrameOutput<WebSocketMessage> Send { get; }

    /// <summary>How the socket ended: one value, then completion; replayed to later subscribers.</summary>
    public IObservable<WebSocketClosed> Closed => _closed;

    /// <summary>Every pong read, with its payload (at most 125 bytes, the receiver's to keep): answers to
    /// <see cref="Ping"/>, answers to the keep-alive's pings, and unsolicited pongs (a peer's one-way heartbeat) alike.</summary>
    /// <remarks>Hot: a subscriber sees the pongs read after it subscribed. Pongs are read only while the socket reads
    /// (while <see cref="Messages"/> is subscribed and not paused, or during a close handshake), and are delivered on the
    /// connection's I/O thread, in order with the messages around them. Completes when the socket ends, whatever the
    /// cause (<see cref="Closed"/> tells it); a subscriber after the end gets the completion at once.</remarks>
    public IObservable<ReadOnlyMemory<byte>> Pongs
    {
        get
        {
            lock (_gate)
            {
                if (_pongs is null)
                {
                    if (_result is not null)
                        return Observable.Empty<ReadOnlyMemory<byte>>();
                    _pongs = Subject.Synchronize(new Subject<ReadOnlyMemory<byte>>());
                }
                return _pongs;
            }
        }
    }

    /// <summary>The subprotocol selected in the handshake, or null.</summary>
    public string? Subprotocol { get; }

    /// <summary>The extensions in force, as the server's <c>Sec-WebSocket-Extensions</c> answer said them
    /// (<c>permessage-deflate</c> and its parameters), or empty when none was negotiated
    /// (<see cref="WebSocketOptions.Compression"/>).</summary>
    public string Extensions { get; }

    /// <summary>Starts the close handshake: sends a close frame with <paramref name="code"/> and
    /// <paramref name="reason"/>, then waits up to <see cref="WebSocketOptions.CloseTimeout"/> for the peer's close
    /// (reading on, even if nobody subscribes <see cref="Messages"/>) and closes the connection; without an answer in
    /// time, aborts it. Does nothing once a close frame was sent.</summary>
    /// <param name="code">The status code: one that may be sent (1000-1003, 1007-1014, 3000-4999), or
    /// <see cref="WebSocketCloseCode.NoStatusReceived"/> for a close frame with no code.</param>
    /// <param name="reason">A short reason, at most 123 bytes in UTF-8 (empty with no code).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> must not be sent.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is longer than 123 bytes in UTF-8, or given with no code.</exception>
    public void Close(WebSocketCloseCode code = WebSocketCloseCode.NormalClosure, string reason = "")
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (code != WebSocketCloseCode.NoStatusReceived && !ClosePayload.IsValidOnTheWire((int)code))
            throw new ArgumentOutOfRangeException(nameof(code), code, "This close code must not be sent.");
        if (System.Text.Encoding.UTF8.GetByteCount(reason) > ClosePayload.MaxReasonBytes || (reason.Length > 0 && code == WebSocketCloseCode.NoStatusReceived))
            throw new ArgumentException("A close reason is at most 123 bytes of UTF-8, and needs a code.", nameof(reason));
        lock (_gate)
        {
            if (_closeSent is not null || _result is not null)
                return;
            SendClose(code, reason);
        }
        DisposableSlot.Set(ref _closeTimeout, _scheduler.Schedule(_link, _options.CloseTimeout, static (_, link) =>
        {
            link.Socket?.OnCloseTimeout();
            return Disposable.Empty;
        }));
        StartReading(); // the answer must be read, whoever reads the messages
    }

    /// <summary>Sends a ping frame with <paramref name="payload"/>; the peer answers with a pong carrying it, seen on
    /// <see cref="Pongs"/>. Does nothing once a close frame was sent or the socket ended.</summary>
    /// <param name="payload">At most 125 bytes (RFC 6455 §5.5), copied before this returns; may be empty.</param>
    /// <exception cref="ArgumentException"><paramref name="payload"/> is longer than 125 bytes.</exception>
    /// <remarks>Nothing waits for the answer here: match it on <see cref="Pongs"/>, with a timeout of your own if you
    /// need one. The keep-alive goes on independently, and a pong answering this ping also answers a keep-alive ping
    /// sent before it, as the RFC lets a peer answer only the most recent of several pings; it never answers a
    /// keep-alive ping sent after it. A pong is seen only while the socket reads (see <see cref="Pongs"/>).</remarks>
    public void Ping(ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > MaxPingPayload)
            throw new ArgumentException($"A ping carries at most 125 bytes, not {payload.Length}.", nameof(payload));
        byte[] copy = payload.ToArray();
        lock (_gate)
        {
            if (_closeSent is not null || _result is not null)
                return;
            if (_pingPayload is not null)
                _pingAfterKeepAlive = copy; // the peer may answer only this one: it then answers the keep-alive's too
            WriteFrame(new WebSocketFrame(WebSocketOpcode.Ping, true, copy));
        }
    }

    /// <summary>Aborts the connection (a reset), without a close frame; <see cref="Closed"/> reports
    /// <see cref="WebSocketCloseCode.AbnormalClosure"/> by this side unless the socket had already ended.</summary>
    public void Dispose()
    {
        Finish(new WebSocketClosed(WebSocketCloseCode.AbnormalClosure, "", WebSocketClosedBy.Local, false), new ObjectDisposedException(nameof(WebSocket)));
        _connection.Dispose();
    }

    internal bool Attach(IObserver<WebSocketMessage> observer)
    {
        Exception? error;
        lock (_gate)
        {
            if (_result is null)
            {
                if (_observer is not null)
                {
                    error = new InvalidOperationException("WebSocket.Messages already has a subscriber: it is unicast, as a connection's input.");
                }
                else
                {
                    _observer = observer;
                    return true;
                }
            }
            else
            {
                error = _error;
            }
        }
        if (error is null)
            observer.OnCompleted();
        else
            observer.OnError(error);
        return false;
    }

    internal void Detach(IObserver<WebSocketMessage> observer)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_observer, observer))
                return;
            _observer = null;
            _demand = false;
        }
        UpdateReading();
    }

    internal void SetDemand(IObserver<WebSocketMessage> observer, bool on)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_observer, observer))
                return;
            _demand = on;
        }
        UpdateReading();
    }

    internal void SendMessage(WebSocketMessage message)
    {
        if (message.IsStreamed)
            throw new ArgumentException("A streamed message cannot be sent as it is: read its Body and send what it holds.", nameof(message));
        var opcode = message.IsText ? WebSocketOpcode.Text : WebSocketOpcode.Binary;
        var data = message.Data;
        int size = _options.SendFrameSize;
        lock (_gate)
        {
            if (_closeSent is not null || _result is not null)
                return; // nothing may follow a close frame
            // RSV1 marks the first frame of a compressed message (RFC 7692 §6); the compressed bytes are fragmented.
            ReadOnlyMemory<byte> deflated = default;
            bool compressed = _deflater is not null && _deflater.TryCompress(data.Span, out deflated);
            if (compressed)
                data = deflated;
            do
            {
                int take = Math.Min(size, data.Length);
                WriteFrame(new WebSocketFrame(opcode, take == data.Length, data[..take]) { Compressed = compressed });
                data = data[take..];
                opcode = WebSocketOpcode.Continuation;
                compressed = false;
            }
            while (!data.IsEmpty);
            _deflater?.Done();
        }
    }

    /// <summary>Reads while a subscriber asks for messages, or while a close handshake needs the peer's answer.</summary>
    internal void UpdateReading()
    {
        // While a streamed message is in progress, its body's demand decides, not the messages' subscriber's.
        var body = _assembler.Body;
        bool bodyWants = body?.NeedsFrames ?? false;
        bool read;
        lock (_gate)
            read = _closeSent is not null || (body is null ? _demand : bodyWants);
        if (read)
            StartReading();
        else
            StopReading();
    }

    private void StartReading()
    {
        lock (_gate)
        {
            if (_reading || _result is not null)
                return;
            _reading = true;
        }
        var subscription = new SingleAssignmentDisposable();
        DisposableSlot.Set(ref _read, subscription);
        StartKeepAlive();
        // The read may deliver at once (frames already buffered): it may stop itself before Subscribe returns.
        subscription.Disposable = _reader.Read(_decoder).Subscribe(_link);
    }

    private void StopReading()
    {
        lock (_gate)
        {
            if (!_reading || _closeSent is not null)
                return;
            _reading = false;
            _pingPayload = null;
            _pingAfterKeepAlive = null;
        }
        DisposableSlot.Set(ref _read, null);
        Interlocked.Increment(ref _link.KeepAliveArm); // its pending tick is stale
        DisposableSlot.Set(ref _pingTimeout, null);
    }

    internal void OnFrame(WebSocketFrame frame)
    {
        switch (frame.Opcode)
        {
            case WebSocketOpcode.Ping:
                lock (_gate)
                {
                    if (_closeSent is null)
                        WriteFrame(frame with { Opcode = WebSocketOpcode.Pong });
                }
                break;
            case WebSocketOpcode.Pong:
                OnPong(frame.Payload);
                break;
            case WebSocketOpcode.Close:
                OnClose(frame.Payload.Span);
                break;
            default:
                OnData(frame);
                break;
        }
    }

    private void OnPong(ReadOnlyMemory<byte> payload)
    {
        bool answersKeepAlive;
        ISubject<ReadOnlyMemory<byte>>? pongs;
        lock (_gate)
        {
            pongs = _pongs;
            // Unsolicited, or an answer to an older ping, is a heartbeat: it does not answer the keep-alive.
            answersKeepAlive = _pingPayload is not null &&
                (payload.Span.SequenceEqual(_pingPayload) || (_pingAfterKeepAlive is not null && payload.Span.SequenceEqual(_pingAfterKeepAlive)));
            if (answersKeepAlive)
            {
                _pingPayload = null;
                _pingAfterKeepAlive = null;
            }
        }
        if (answersKeepAlive)
            DisposableSlot.Set(ref _pingTimeout, null);
        pongs?.OnNext(payload.ToArray()); // the payload may be the read buffer's: a copy is the subscriber's to keep
    }

    private void OnData(WebSocketFrame frame)
    {
        WebSocketMessage message;
        try
        {
            if (!_assembler.TryAdd(frame, out message))
                return;
        }
        catch (Exception e) when (e is WebSocketProtocolException or ObjectDisposedException)
        {
            // Found while inflating (1007, 1009): the same end as the decoder's own violations. An observer's
            // exception cannot carry it: the read unsubscribes before passing that on.
            OnReadError(e);
            return;
        }
        Deliver(message);
        if (message.IsStreamed)
            UpdateReading(); // its body decides from now on
    }

    private void Deliver(WebSocketMessage message)
    {
        IObserver<WebSocketMessage>? observer;
        lock (_gate)
            observer = _observer;
        observer?.OnNext(message); // during a close nobody may be reading: the message is dropped
    }

    private void OnClose(ReadOnlySpan<byte> payload)
    {
        var (code, reason) = ClosePayload.Read(payload);
        WebSocketClosed result;
        lock (_gate)
        {
            if (_closeSent is { } sent)
            {
                result = new WebSocketClosed(sent.Code, sent.Reason, WebSocketClosedBy.Local, true);
            }
            else
            {
                SendClose(code, ""); // the usual answer echoes the code (RFC 6455 §5.5.1)
                result = new WebSocketClosed(code, reason, WebSocketClosedBy.Peer, true);
            }
        }
        Finish(result, null);
        CloseTransport();
    }

    /// <summary>After the close handshake: the server closes the TCP connection first (RFC 6455 §7.1.1), so it holds
    /// TIME_WAIT; a client waits for the server's FIN, reading and dropping what comes, up to the close timeout, and
    /// then closes it itself.</summary>
    private void CloseTransport()
    {
        if (_role == WebSocketRole.Server)
        {
            _connection.Close();
            return;
        }
        var timeout = _scheduler.Schedule(_options.CloseTimeout, _connection.Close);
        _reader.ReadRaw().Subscribe(_ => { }, _ => timeout.Dispose(), () =>
        {
            timeout.Dispose();
            _connection.Close();
        });
    }

    internal void OnReadError(Exception error)
    {
        if (error is WebSocketProtocolException violation && violation.CloseCode != WebSocketCloseCode.AbnormalClosure)
        {
            WebSocketClosed result;
            lock (_gate)
            {
                if (_closeSent is null)
                    SendClose(violation.CloseCode, violation.Message);
                result = new WebSocketClosed(violation.CloseCode, _closeSent!.Value.Reason, WebSocketClosedBy.Local, false);
            }
            Finish(result, violation);
            _connection.Close();
            return;
        }
        if (error is IncompleteFrameException)
            error = new WebSocketProtocolException(WebSocketCloseCode.AbnormalClosure, "The connection ended inside a frame, without a close frame.");
        Finish(new WebSocketClosed(WebSocketCloseCode.AbnormalClosure, "", WebSocketClosedBy.Peer, false), error);
        _connection.Dispose();
    }

    internal void OnReadEnd()
    {
        Finish(new WebSocketClosed(WebSocketCloseCode.AbnormalClosure, "", WebSocketClosedBy.Peer, false),
            new WebSocketProtocolException(WebSocketCloseCode.AbnormalClosure, "The connection ended without a close frame."));
        _connection.Close();
    }

    /// <summary>The connection ended (while nobody read, or beside the read): the socket ends without a close frame.</summary>
    internal void OnConnectionClosed(Exception? error) =>
        Finish(new WebSocketClosed(WebSocketCloseCode.AbnormalClosure, "", WebSocketClosedBy.Peer, false),
            error ?? new WebSocketProtocolException(WebSocketCloseCode.AbnormalClosure, "The connection ended without a close frame."));

    /// <summary>Closes with <see cref="WebSocketCloseCode.GoingAway"/> when <paramref name="draining"/> says the
    /// server drains (ADR 0051); the subscription ends with the socket, so a closed socket leaves nothing in the server.</summary>
    internal void GoAwayOn(IObservable<System.Reactive.Unit> draining) => DisposableSlot.Set(ref _drain, draining.Subscribe(_link));

    /// <summary>Writes one frame to the connection; under the gate, so frames never interleave.</summary>
    private void WriteFrame(in WebSocketFrame frame) => _encoder.Write(frame, _connection.Output);

    /// <summary>Writes a close frame; under the gate, at most once.</summary>
    private void SendClose(WebSocketCloseCode code, string reason)
    {
        byte[] payload = ClosePayload.Write(code, reason);
        _closeSent = (code, ClosePayload.Read(payload).Reason);
        WriteFrame(new WebSocketFrame(WebSocketOpcode.Close, true, payload));
    }

    private void StartKeepAlive()
    {
        var interval = _options.KeepAliveInterval;
        if (interval <= TimeSpan.Zero || interval == Timeout.InfiniteTimeSpan)
            return;
        ArmKeepAlive(interval);
    }

    /// <summary>An entry in the scheduler's <see cref="KeepAliveWheel"/>, armed again at each tick: one scheduler
    /// item for every socket on the scheduler rather than one (and its delegates) per socket.</summary>
    private void ArmKeepAlive(TimeSpan interval) =>
        KeepAliveWheel.Of(_scheduler).Add(_link, Interlocked.Increment(ref _link.KeepAliveArm), interval);

    /// <summary>The keep-alive interval passed while reading: a ping, and the next tick.</summary>
    internal void OnKeepAliveDue()
    {
        if (OnKeepAlive())
            ArmKeepAlive(_options.KeepAliveInterval);
    }

    /// <summary>Sends a keep-alive ping unless one is unanswered; false once the socket no longer reads.</summary>
    private bool OnKeepAlive()
    {
        lock (_gate)
        {
            if (_closeSent is not null || _result is not null || !_reading)
                return false;
            if (_pingPayload is null)
            {
                _pingPayload = BitConverter.GetBytes(++_pings);
                _pingAfterKeepAlive = null;
                WriteFrame(new WebSocketFrame(WebSocketOpcode.Ping, true, _pingPayload));
                DisposableSlot.Set(ref _pingTimeout, _scheduler.Schedule(_link, _options.KeepAliveTimeout, static (_, link) =>
                {
                    link.Socket?.OnPingTimeout();
                    return Disposable.Empty;
                }));
            }
        }
        return true;
    }

    private void OnPingTimeout()
    {
        lock (_gate)
        {
            if (_pingPayload is null)
                return;
        }
        // A peer that does not answer a ping is gone or stuck: no close handshake, the connection is aborted.
        Finish(new WebSocketClosed(WebSocketCloseCode.AbnormalClosure, "keep-alive ping timed out", WebSocketClosedBy.Local, false),
            new TimeoutException($"No pong within {_options.KeepAliveTimeout} of a keep-alive ping."));
        _connection.Dispose();
    }

    private void OnCloseTimeout()
    {
        WebSocketClosed result;
        lock (_gate)
        {
            var (code, reason) = _closeSent!.Value;
            result = new WebSocketClosed(code, reason, WebSocketClosedBy.Local, false);
        }
        Finish(result, new TimeoutException($"No close frame from the peer within {_options.CloseTimeout} of this side's."));
        _connection.Dispose();
    }

    /// <summary>Frees zlib's native state now rather than at finalization. The deflater is used under the gate; the
    /// inflater on the reading thread, which has stopped unless this runs beside it (then its next read fails, and
    /// the socket has already ended).</summary>
    private void ReleaseCompression()
    {
        lock (_gate)
            _deflater?.Dispose();
        _assembler.Dispose();
    }

    /// <summary>Ends the socket once: stops the timers and the read, ends <see cref="Messages"/>, reports <see cref="Closed"/>.</summary>
    private void Finish(WebSocketClosed result, Exception? error)
    {
        IObserver<WebSocketMessage>? observer;
        ISubject<ReadOnlyMemory<byte>>? pongs;
        lock (_gate)
        {
            if (_result is not null)
                return;
            _result = result;
            _error = error;
            observer = _observer;
            _observer = null;
            _pingPayload = null;
            _link.Socket = null;
            pongs = _pongs;
        }
        DisposableSlot.End(ref _pingTimeout);
        DisposableSlot.End(ref _closeTimeout);
        DisposableSlot.End(ref _read);
        DisposableSlot.End(ref _drain);
        _assembler.Body?.Fail(error ?? new WebSocketProtocolException(WebSocketCloseCode.AbnormalClosure, "The socket closed before the streamed message ended."));
        ReleaseCompression();
        if (error is null)
            observer?.OnCompleted();
        else
            observer?.OnError(error);
        pongs?.OnCompleted();
        _closed.OnNext(result);
        _closed.OnCompleted();
    }
}
