using System.Net;
using System.Reactive.Concurrency;
using Microsoft.Reactive.Testing;
using RxNet.Transport;

namespace RxNet.Specs.Transport;

/// <summary>
/// A transport written the way a user would write one: only the public skeleton (<see cref="TransportInput"/>,
/// <see cref="TransportOutput"/>, <see cref="ConnectionLifetime"/>) and this class's three small steps. Two ends
/// pass byte arrays to each other on a <see cref="TestScheduler"/>; a sender keeps no more than a window of
/// unread bytes at the receiver, as TCP would.
/// </summary>
internal sealed class PipeConnection : IConnection, IInputReader, IOutputDrain, IConnectionResource
{
    private const int Window = 64 * 1024;

    private readonly TestScheduler _scheduler;
    private readonly TransportInput _input;
    private readonly TransportOutput _output;
    private readonly ConnectionLifetime _lifetime;
    private readonly Queue<byte[]> _arrived = new();
    private PipeConnection _peer = null!;
    private long _unread; // sent to the peer and not yet delivered to its subscriber
    private bool _fin;
    private bool _readWaiting;
    private bool _resetByPeer;

    private PipeConnection(TestScheduler scheduler, ConnectionOptions options)
    {
        _scheduler = scheduler;
        _lifetime = new ConnectionLifetime(this);
        _input = new TransportInput(this, this);
        _output = new TransportOutput(this, this, options);
    }

    public IConnectionInput Input => _input;

    public IConnectionOutput Output => _output;

    public EndPoint? LocalEndPoint => null;

    public EndPoint? RemoteEndPoint => null;

    public IObservable<ConnectionClosed> Closed => _lifetime.Closed;

    bool IInputReader.PausedByOutput => _output.PausesInput;

    long IOutputDrain.Room => Math.Max(0, Window - _unread);

    public static (PipeConnection Client, PipeConnection Server) Pair(TestScheduler scheduler, ConnectionOptions options)
    {
        var client = new PipeConnection(scheduler, options);
        var server = new PipeConnection(scheduler, options);
        (client._peer, server._peer) = (server, client);
        return (client, server);
    }

    public void Dispose() => _lifetime.Abort(null);

    public void Close()
    {
        _lifetime.Close();
        _output.OnCompleted();
    }

    public override string ToString() => "pipe";

    // The read step: the oldest arrival, the FIN after the last one, or wait for the next.
    void IInputReader.Read(TransportInput input)
    {
        if (_arrived.TryDequeue(out var data))
            input.Receive(data);
        else if (_fin)
            input.End(null);
        else
            _readWaiting = true;
    }

    void IInputReader.ScheduleRun(TransportInput input) => _scheduler.Schedule(input.Run);

    void IInputReader.Delivering(ReadOnlyMemory<byte> chunk)
    {
        int count = chunk.Length;
        var peer = _peer;
        _scheduler.Schedule(() => peer.Consumed(count)); // the window opens one step later
    }

    void IInputReader.Ending(Exception? error) => _lifetime.InputEnding(error);

    void IInputReader.Ended(Exception? error) => _lifetime.InputEnded(error);

    void IInputReader.SubscriberThrew(Exception error) => _lifetime.Fail(error);

    // The drain step: hand a copy to the peer one step later.
    void IOutputDrain.ScheduleDrain(TransportOutput queue) => _scheduler.Schedule(queue.Drain);

    ValueTask IOutputDrain.SendAsync(OutputBatch batch)
    {
        _unread += batch.Length;
        var data = batch.ToArray();
        var peer = _peer;
        _scheduler.Schedule(() => peer.Arrive(data));
        return default;
    }

    ValueTask IOutputDrain.ShutdownAsync()
    {
        _lifetime.OutputEnding();
        var peer = _peer;
        _scheduler.Schedule(() => peer.Arrive(null));
        _lifetime.OutputEnded();
        return default;
    }

    void IOutputDrain.Failed(Exception error) => _lifetime.Fail(error);

    void IOutputDrain.Abort(Exception error) => _lifetime.Abort(error);

    void IOutputDrain.Drained() => _input.Wake();

    // Releasing: an abort drops everything and resets the peer; a clean end has nothing to free.
    void IConnectionResource.Abort(Exception? error)
    {
        _output.Abort();
        _arrived.Clear();
        Exception ended = _resetByPeer ? error! : new ConnectionAbortedException("The pipe was aborted by this side.", error);
        if (!_resetByPeer)
        {
            var peer = _peer;
            _scheduler.Schedule(peer.Reset);
        }
        _input.Abort(ended);
        if (_readWaiting)
        {
            _readWaiting = false;
            _input.End(ended); // the outstanding read is answered
        }
    }

    // After Close(): what arrived unread is dropped and the input completes; an outstanding read is answered.
    void IConnectionResource.Release()
    {
        _arrived.Clear();
        _input.Close();
        if (_readWaiting)
        {
            _readWaiting = false;
            _input.End(null);
        }
    }

    private void Arrive(byte[]? data)
    {
        if (_lifetime.IsReleased)
            return;
        if (_readWaiting)
        {
            _readWaiting = false;
            if (data is null)
                _input.End(null);
            else
                _input.Receive(data);
        }
        else if (data is null)
            _fin = true;
        else
            _arrived.Enqueue(data);
    }

    private void Consumed(int count)
    {
        _unread -= count;
        _output.RequestDrain();
    }

    private void Reset()
    {
        if (_lifetime.IsReleased)
            return;
        _resetByPeer = true;
        _lifetime.Fail(new ConnectionResetException("The pipe was reset by the peer."));
    }
}
