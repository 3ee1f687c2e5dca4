using System.Net.Sockets;
using RxNet.Transport;

namespace RxNet.Sockets.Internal;

/// <summary>
/// The read step of a socket connection (its <see cref="IInputReader"/>): wait with a zero-byte receive, so an
/// idle connection holds no buffer, then read synchronously into the thread's <see cref="ReceiveSlab"/>
/// (ADR 0002); or, without the wait, straight into the connection's own block. Written as callbacks on the
/// connection's <see cref="ReceiveWait"/> rather than an async method so that an idle connection holds no state
/// machine, no awaitable of the socket's and no continuation delegate.
/// </summary>
internal sealed partial class SocketConnection : IInputReader
{
    /// <summary>Chunks read in a row without waiting before the input yields its thread.</summary>
    public const int FairShare = 16;

    /// <summary>The size of a connection's own receive block when it does not wait for data first.</summary>
    private const int OwnBlockSize = 16 * 1024;

    private ReceiveWait? _receive; // made on the first read: a connection nobody reads from holds none
    private byte[]? _ownBlock;
    private int _ownUsed;

    /// <summary>Bytes delivered to subscribers so far.</summary>
    public long BytesReceived { get; private set; }

    bool IInputReader.PausedByOutput => _output.PausesInput;

    void IInputReader.Read(TransportInput input) => Read();

    void IInputReader.Delivering(ReadOnlyMemory<byte> chunk)
    {
        BytesReceived += chunk.Length;
        Metrics.Received(chunk.Length);
    }

    void IInputReader.Paused() => Metrics.InputPaused();

    void IInputReader.Ending(Exception? error) => _lifetime.InputEnding(error);

    void IInputReader.Ended(Exception? error) => _lifetime.InputEnded(error);

    void IInputReader.SubscriberThrew(Exception error)
    {
        Log.SubscriberThrew(Logger, error, this);
        Fail(error);
    }

    private void Read()
    {
        var receive = _receive ??= new ReceiveWait(this);
        while (true)
        {
            bool pending;
            try
            {
                // Either wait for data with no buffer (the default), or read straight into this
                // connection's own block: one system call less per read, 16 KiB more per connection.
                receive.SetBuffer(_ownBlock is null ? Memory<byte>.Empty : OwnFree());
                pending = _socket.ReceiveAsync(receive);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                _input.End(SocketErrors.ToConnectionError(e, this));
                return;
            }
            if (pending || Complete(receive))
                return;
        }
    }

    /// <summary>A receive completed asynchronously (on an I/O or pool thread): answer it, or wait again.</summary>
    internal void OnReceived()
    {
        if (!Complete(_receive!))
            Read();
    }

    /// <summary>Answers the read once the receive has completed: after a zero-byte wait, reads what is there into the
    /// thread's slab; with an own block, the receive itself filled it.</summary>
    /// <returns>Whether the read was answered (<see langword="false"/>: nothing there after all, wait again).</returns>
    private bool Complete(ReceiveWait receive)
    {
        int received = receive.BytesTransferred;
        SocketError error = receive.SocketError;
        try
        {
            if (_ownBlock is null && error == SocketError.Success)
                received = _socket.Receive(ReceiveSlab.Free(), SocketFlags.None, out error);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _input.End(SocketErrors.ToConnectionError(e, this));
            return true;
        }
        if (error == SocketError.WouldBlock)
            return false;
        if (error != SocketError.Success)
            _input.End(SocketErrors.ToConnectionError(new SocketException((int)error), this));
        else if (received == 0)
            _input.End(null);
        else if (_input.CanLend)
            _input.Lend(_ownBlock is null ? ReceiveSlab.Lend(received) : _ownBlock.AsMemory(_ownUsed, received)); // the output copies: reuse the buffer
        else
            _input.Receive(_ownBlock is null ? ReceiveSlab.Take(received) : OwnTake(received));
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
}
