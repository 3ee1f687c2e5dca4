using RxNet.Transport;

namespace RxNet.Testing.Internal;

/// <summary>
/// The read step of a simulated connection (the <see cref="IInputReader"/> of its <see cref="TransportInput"/>):
/// keeps what arrives (within the receive window) and answers a read with the oldest segment, or the FIN
/// once every byte is delivered; a read with nothing there waits for the next arrival. The pump runs in
/// turns of the network's scheduler.
/// </summary>
internal sealed class SimulatedInput : IInputReader
{
    private readonly SimulatedConnection _connection;
    private readonly SimulatedNetwork _network;
    private readonly Queue<byte[]> _arrived = new();
    private bool _fin;
    private bool _finArrived;
    private bool _readWaiting;

    public SimulatedInput(SimulatedConnection connection, SimulatedNetwork network)
    {
        _connection = connection;
        _network = network;
        Input = new TransportInput(this, connection);
    }

    /// <summary>What the connection hands out as its input.</summary>
    public TransportInput Input { get; }

    bool IInputReader.PausedByOutput => _connection.Output.PausesInput;

    /// <summary>A data segment arrived.</summary>
    public void Enqueue(byte[] data)
    {
        if (_readWaiting)
        {
            _readWaiting = false;
            Input.Receive(data);
        }
        else
            _arrived.Enqueue(data);
    }

    /// <summary>The peer's FIN arrived, after every byte it sent.</summary>
    public void EnqueueFin()
    {
        _finArrived = true;
        if (_readWaiting)
        {
            _readWaiting = false;
            Input.End(null);
        }
        else
            _fin = true;
    }

    /// <summary>Ends the input with an error (reset or abort): what was kept is dropped.</summary>
    public void End(Exception error)
    {
        _arrived.Clear();
        _fin = false;
        Input.Abort(error);
        if (_readWaiting)
        {
            _readWaiting = false;
            Input.End(error); // the outstanding read is answered, as a closed socket's would be
        }
    }

    /// <summary>This side closed the connection: what arrived and was not read is dropped, and the input completes.</summary>
    /// <returns>Whether the input was still open (the peer had not finished sending, as far as this side read).</returns>
    public bool Close()
    {
        bool open = !_finArrived;
        _arrived.Clear();
        _fin = false;
        Input.Close();
        if (_readWaiting)
        {
            _readWaiting = false;
            Input.End(null); // the outstanding read is answered, as a closed socket's would be
        }
        return open;
    }

    void IInputReader.Read(TransportInput input)
    {
        if (_arrived.TryDequeue(out var data))
            input.Receive(data);
        else if (_fin)
        {
            _fin = false;
            input.End(null);
        }
        else
            _readWaiting = true;
    }

    /// <summary>Runs the pump in a turn of its own, at the current virtual time.</summary>
    void IInputReader.ScheduleRun(TransportInput input) => _network.ScheduleAt(_network.Now, input.Run);

    void IInputReader.Delivering(ReadOnlyMemory<byte> chunk)
    {
        _connection.Metrics.Received(chunk.Length);
        _connection.WindowConsumed(chunk.Length);
    }

    void IInputReader.Paused() => _connection.Metrics.InputPaused();

    void IInputReader.Ending(Exception? error) => _connection.InputEnding(error);

    void IInputReader.Ended(Exception? error) => _connection.InputFinished();

    void IInputReader.SubscriberThrew(Exception error) => _connection.Fail(error);
}
