using Microsoft.Extensions.Logging;
using System.Globalization;
using System.Net;
using RxNet.Internal;
using RxNet.Transport;

namespace RxNet.Testing.Internal;

/// <summary>
/// One side of a simulated TCP connection: the socket transport's semantics, single-threaded on the
/// network's scheduler. Owns the outgoing direction's segments in flight and decides, as
/// <c>SocketConnection</c> does, when the connection is released and why. Its output is an
/// <see cref="TransportOutput"/> drained onto the link (this class is the queue's <see cref="IOutputDrain"/>):
/// one transmission per scheduler turn, no more than the peer's receive window, nothing across a partition.
/// </summary>
#pragma warning disable CA1001 // the subject holds no unmanaged state; it completes when the connection is released
internal sealed class SimulatedConnection : IConnection, IOutputDrain, IConnectionResource
#pragma warning restore CA1001
{
    private readonly SimulatedNetwork _network;
    private readonly SimulatedInput _input;
    private readonly TransportOutput _output;
    private long _unacknowledged; // sent and not yet consumed by the peer's subscriber
    private long _flushAt; // the virtual time of the turn that asked for the drain
    private readonly ConnectionLifetime _lifetime;
    private readonly Queue<Segment> _inFlight = new(); // sent by this side, not yet arrived, in order
    private long _lastArrival;
    private int _stalled; // arrivals that met a partition and wait for Heal
    private bool _resetByPeer;
    private bool _sentResetAfterClose;
    private bool _closedEarly; // released by Close() before the peer's FIN: its later data gets a reset, as from a closed socket
    private readonly bool _accepted;

    public SimulatedConnection(SimulatedNetwork network, string localHost, int localPort, string remoteHost, int remotePort, ConnectionOptions options, ConnectionMetrics metrics, bool accepted)
    {
        _network = network;
        Metrics = metrics;
        _accepted = accepted;
        metrics.Opened(accepted);
        LocalHost = localHost;
        RemoteHost = remoteHost;
        LocalEndPoint = new DnsEndPoint(localHost, localPort);
        RemoteEndPoint = new DnsEndPoint(remoteHost, remotePort);
        Name = string.Create(CultureInfo.InvariantCulture, $"{localHost}:{localPort}");
        PeerName = string.Create(CultureInfo.InvariantCulture, $"{remoteHost}:{remotePort}");
        _lifetime = new ConnectionLifetime(this);
        // The network's logger, so what the transport logs (and an overflow of a WriteTo without a logger) is seen.
        _output = new TransportOutput(this, this, options, network.LoggerFactory.CreateLogger<SimulatedConnection>());
        _input = new SimulatedInput(this, network);
    }

    public SimulatedConnection? Peer { get; set; }

    public ConnectionMetrics Metrics { get; }

    public string LocalHost { get; }

    public string RemoteHost { get; }

    public string Name { get; }

    public string PeerName { get; }

    public IConnectionInput Input => _input.Input;

    IConnectionOutput IConnection.Output => _output;

    public TransportOutput Output => _output;

    public EndPoint? LocalEndPoint { get; }

    public EndPoint? RemoteEndPoint { get; }

    public IObservable<ConnectionClosed> Closed => _lifetime.Closed;

    public bool IsReleased => _lifetime.IsReleased;

    public bool BelongsTo(SimulatedNetwork network) => ReferenceEquals(_network, network);

    public void Dispose() => Abort(null);

    public void Close()
    {
        _lifetime.Close();
        _output.OnCompleted();
    }

    public override string ToString() => $"simulated connection {Name}<->{PeerName}";

    /// <summary>Aborts from this side: unsent output is dropped and the peer gets a reset one latency later.</summary>
    public void Abort(Exception? error) => _lifetime.Abort(error);

    /// <summary>Aborts because of a fault on this side, such as a subscriber that threw.</summary>
    public void Fail(Exception error) => _lifetime.Fail(error);

    /// <summary>The network resets both sides at once.</summary>
    public void ResetByNetwork()
    {
        var peer = Peer;
        if (!IsReleased)
            _network.Record(PeerName, Name, NetworkEventKind.Reset);
        if (peer is not null && !peer.IsReleased)
            _network.Record(Name, PeerName, NetworkEventKind.Reset);
        ResetByPeer();
        peer?.ResetByPeer();
    }

    public void InputEnding(Exception? error) => _lifetime.InputEnding(error);

    public void InputFinished() => _lifetime.InputEnded(null);

    void IConnectionResource.Abort(Exception? error)
    {
        _output.Abort();
        if (_resetByPeer)
        {
            _input.End(error!);
            return;
        }
        Send(new Segment(SegmentKind.Reset, null), _network.Now);
        _input.End(new ConnectionAbortedException($"{this} was aborted by this side.", error));
    }

    // Stays registered: segments it sent (a FIN, a reset) may still wait at a partition for Heal.
    void IConnectionResource.Release()
    {
        _closedEarly = _input.Close(); // after Close(): what arrived unread is dropped, as the socket transport drops it
    }

    void IConnectionResource.Closing(ConnectionClosed reason) => Metrics.Closed(_accepted, reason);

    // Rethrown, as before the skeleton: a spec whose Closed subscriber throws sees it from the scheduler.
    void IConnectionResource.ClosedSubscriberThrew(Exception error) => System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);

    long IOutputDrain.Room =>
        _network.IsPartitioned(LocalHost, RemoteHost) ? 0 : Math.Max(0, _network.ReceiveWindow - _unacknowledged);

    /// <summary>One drain per turn: everything written before it runs leaves in one transmission, sent as of
    /// the turn's virtual time (the TestScheduler runs "now" one tick later).</summary>
    void IOutputDrain.ScheduleDrain(TransportOutput queue)
    {
        _flushAt = _network.Now;
        _network.ScheduleAt(_flushAt, queue.Drain);
    }

    ValueTask IOutputDrain.SendAsync(OutputBatch batch)
    {
        _unacknowledged += batch.Length;
        Metrics.Sent(batch.Length);
        Transmit(batch.ToArray());
        return default;
    }

    /// <summary>Sends the FIN; across a partition it waits on the link, as a retransmitted FIN would.</summary>
    ValueTask IOutputDrain.ShutdownAsync()
    {
        _lifetime.OutputEnding(); // before the FIN, whose answer may come back
        Send(new Segment(SegmentKind.Fin, null), _flushAt);
        _lifetime.OutputEnded();
        return default;
    }

    void IOutputDrain.Failed(Exception error) => Fail(error);

    void IOutputDrain.Abort(Exception error) => Abort(error);

    void IOutputDrain.Drained() => _input.Input.Wake();

    /// <summary>The peer's subscriber consumed <paramref name="count"/> bytes: the window opened.</summary>
    private void WindowOpened(int count)
    {
        _unacknowledged -= count;
        _output.RequestDrain();
    }

    /// <summary>Cuts one transmission into segments as the link says (random sizes from the seed).</summary>
    private void Transmit(byte[] data)
    {
        int max = _network.LinkFor(LocalHost, RemoteHost).Options.MaxSegmentSize;
        if (max <= 0 || data.Length <= 1)
        {
            Send(new Segment(SegmentKind.Data, data), _flushAt);
            return;
        }
        for (int offset = 0; offset < data.Length;)
        {
            int size = Math.Min(_network.Random.Next(1, max + 1), data.Length - offset);
            Send(new Segment(SegmentKind.Data, data.AsSpan(offset, size).ToArray()), _flushAt);
            offset += size;
        }
    }

    /// <summary>The input handed <paramref name="count"/> bytes to its subscriber: tell the sender its window opened.</summary>
    public void WindowConsumed(int count)
    {
        var peer = Peer;
        if (peer is null)
            return;
        long due = _network.Now + _network.LinkFor(LocalHost, RemoteHost).Options.Latency.Ticks;
        _network.ScheduleAt(due, () => peer.WindowOpened(count));
    }

    /// <summary>Puts a segment on the link to the peer; <paramref name="sentAt"/> is the virtual time of the send.
    /// A data segment the link loses arrives one retransmission timeout late; later ones queue behind it,
    /// as TCP delivers in order.</summary>
    public void Send(Segment segment, long sentAt)
    {
        var link = _network.LinkFor(LocalHost, RemoteHost);
        long arrival = link.Transmit(segment.Data?.Length ?? 0, sentAt);
        if (segment.Kind == SegmentKind.Data && _network.Chance(link.Options.Loss))
        {
            var data = segment.Data;
            _network.ScheduleAt(arrival, () => _network.Record(Name, PeerName, NetworkEventKind.Lost, data));
            arrival += link.Options.RetransmissionTimeout.Ticks;
        }
        arrival = Math.Max(arrival, _lastArrival);
        _lastArrival = arrival;
        _inFlight.Enqueue(segment);
        _network.ScheduleAt(arrival, ArriveNext);
    }

    /// <summary>Heal: what met the partition is delivered one latency from now, then what waited to be sent.</summary>
    public void Resume()
    {
        long arrival = Math.Max(_network.Now + _network.LinkFor(LocalHost, RemoteHost).Options.Latency.Ticks, _lastArrival);
        _lastArrival = arrival;
        for (; _stalled > 0; _stalled--)
            _network.ScheduleAt(arrival, ArriveNext);
        _output.RequestDrain(); // what waited to be sent
    }

    /// <summary>The oldest segment in flight reaches the peer (or waits at a partition).</summary>
    private void ArriveNext()
    {
        if (_network.IsPartitioned(LocalHost, RemoteHost))
        {
            _stalled++;
            return;
        }
        var segment = _inFlight.Dequeue();
        Peer?.Receive(segment, this);
    }

    private void Receive(Segment segment, SimulatedConnection sender)
    {
        // Traced even when this side is gone: the segment did cross the network.
        var kind = segment.Kind switch
        {
            SegmentKind.Data => NetworkEventKind.Data,
            SegmentKind.Fin => NetworkEventKind.Fin,
            _ => NetworkEventKind.Reset,
        };
        _network.Record(sender.Name, Name, kind, segment.Data);
        if (IsReleased)
        {
            // Data for a socket closed early is answered with a reset, as a kernel does; otherwise the sender has
            // closed or will learn otherwise.
            if (segment.Kind == SegmentKind.Data && _closedEarly && !_sentResetAfterClose)
            {
                _sentResetAfterClose = true;
                Send(new Segment(SegmentKind.Reset, null), _network.Now);
            }
            return;
        }
        switch (segment.Kind)
        {
            case SegmentKind.Data:
                _input.Enqueue(segment.Data!);
                break;
            case SegmentKind.Fin:
                _input.EnqueueFin();
                break;
            default:
                ResetByPeer();
                break;
        }
    }

    private void ResetByPeer()
    {
        if (IsReleased)
            return;
        _resetByPeer = true;
        _lifetime.Fail(new ConnectionResetException($"{this} was reset by the peer."));
    }
}

/// <summary>What a segment carries.</summary>
internal enum SegmentKind
{
    Data,
    Fin,
    Reset,
}

/// <summary>One unit on a link: data bytes, a FIN or a reset.</summary>
internal readonly record struct Segment(SegmentKind Kind, byte[]? Data);
