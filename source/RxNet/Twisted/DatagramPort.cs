using System.Net;
using System.Reactive.Disposables;
using Microsoft.Extensions.Logging;

namespace RxNet.Twisted;

/// <summary>A datagram socket serving a <see cref="DatagramProtocol"/>: Twisted's <c>udp.Port</c>, which is both the
/// listening port and the protocol's transport.</summary>
internal sealed class DatagramPort : IListeningPort, IDatagramTransport
{
    private readonly DatagramProtocol _protocol;
    private readonly IDatagramSocket _socket;
    private readonly int _maxPacketSize;
    private readonly ILogger _logger;
    private readonly SerialDisposable _reading = new();
    private IDisposable? _binding;
    private int _stopped;

    private DatagramPort(DatagramProtocol protocol, IDatagramSocket socket, int maxPacketSize, ILogger logger)
    {
        _protocol = protocol;
        _socket = socket;
        _maxPacketSize = maxPacketSize;
        _logger = logger;
    }

    public EndPoint Host => _socket.LocalEndPoint;

    public EndPoint? Peer => _socket.RemoteEndPoint;

    public IDatagramSocket Socket => _socket;

    /// <summary>Binds, starts the protocol, then reads: <see cref="DatagramProtocol.StartProtocol"/> runs before any datagram.</summary>
    public static DatagramPort Start(IDatagramEndpoint endpoint, DatagramProtocol protocol, int maxPacketSize, ILogger logger)
    {
        IDatagramSocket? socket = null;
        Exception? failure = null;
        var binding = endpoint.Bind().Subscribe(bound => socket = bound, e => failure = e);
        if (socket is null)
        {
            binding.Dispose();
            throw failure as IOException ?? new IOException(failure?.Message ?? $"{endpoint} did not bind at once, as a port must.", failure);
        }
        var port = new DatagramPort(protocol, socket, maxPacketSize, logger) { _binding = binding };
        try
        {
            protocol.MakeConnection(port);
        }
        catch
        {
            binding.Dispose();
            throw;
        }
        port.Read();
        return port;
    }

    public void Write(ReadOnlyMemory<byte> data, EndPoint address)
    {
        ArgumentNullException.ThrowIfNull(address);
        _socket.Output.OnNext(new Datagram(data, address));
    }

    public void Write(ReadOnlyMemory<byte> data) =>
        Write(data, _socket.RemoteEndPoint
            ?? throw new InvalidOperationException($"{_socket} is not connected, so a datagram needs its address: Write(data, address), or listen with remoteHost= and remotePort=."));

    public void StopListening()
    {
        // Unbinding completes the input, which stops the protocol after its last datagram, on the input's thread.
        Interlocked.Exchange(ref _binding, null)?.Dispose();
    }

    public void Dispose() => StopListening();

    public override string ToString() => _socket.ToString() ?? nameof(DatagramPort);

    private void Read() => _reading.Disposable = _socket.Input.Subscribe(Received, Failed, Stopped);

    private void Received(Datagram datagram)
    {
        if (datagram.Payload.Length > _maxPacketSize)
        {
            // Twisted's recvfrom(maxPacketSize) would cut it; RxNet never hands out part of a message.
            DatagramPortLog.TooLarge(_logger, datagram.Payload.Length, _maxPacketSize, datagram.RemoteEndPoint, Host);
            return;
        }
        try
        {
            _protocol.DatagramReceived(datagram.Payload, datagram.RemoteEndPoint);
        }
        catch (Exception e)
        {
            DatagramPortLog.CallbackFailed(_logger, e, _protocol.GetType().Name, nameof(DatagramProtocol.DatagramReceived), Host);
        }
    }

    private void Failed(Exception error)
    {
        if (error is ConnectionRefusedException && Volatile.Read(ref _binding) is not null)
        {
            try
            {
                _protocol.ConnectionRefused();
            }
            catch (Exception e)
            {
                DatagramPortLog.CallbackFailed(_logger, e, _protocol.GetType().Name, nameof(DatagramProtocol.ConnectionRefused), Host);
            }
            Read(); // the socket stays bound after a refusal: read on
            return;
        }
        DatagramPortLog.InputFailed(_logger, error, Host);
        StopListening();
        Stopped();
    }

    private void Stopped()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        Interlocked.Exchange(ref _binding, null)?.Dispose(); // the socket ended by itself: release the binding too
        try
        {
            _protocol.Disconnected();
        }
        catch (Exception e)
        {
            DatagramPortLog.CallbackFailed(_logger, e, _protocol.GetType().Name, nameof(DatagramProtocol.StopProtocol), Host);
        }
    }
}
