using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Reactive.Disposables;

namespace RxNet.Sockets.Internal;

/// <summary>Multicast membership and sending options, as socket options of the one UDP socket.</summary>
internal sealed partial class UdpSocket
{
    private IPAddress? _multicastInterface;

    public bool MulticastLoopback
    {
        get => (int)_socket.GetSocketOption(Level, SocketOptionName.MulticastLoopback)! != 0;
        set => _socket.SetSocketOption(Level, SocketOptionName.MulticastLoopback, value);
    }

    public int MulticastTimeToLive
    {
        get => (int)_socket.GetSocketOption(Level, SocketOptionName.MulticastTimeToLive)!;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 255);
            _socket.SetSocketOption(Level, SocketOptionName.MulticastTimeToLive, value);
        }
    }

    public IPAddress? MulticastInterface
    {
        get => _multicastInterface;
        set
        {
            if (value is not null && value.AddressFamily != _socket.AddressFamily)
                throw new ArgumentException($"{this} sends {_socket.AddressFamily} datagrams; {value} is not such an address.", nameof(value));
            if (_socket.AddressFamily == AddressFamily.InterNetworkV6)
                _socket.SetSocketOption(Level, SocketOptionName.MulticastInterface, value is null ? 0 : InterfaceIndex(value, nameof(value)));
            else
                _socket.SetSocketOption(Level, SocketOptionName.MulticastInterface, (value ?? IPAddress.Any).GetAddressBytes());
            _multicastInterface = value;
        }
    }

    private SocketOptionLevel Level => _socket.AddressFamily == AddressFamily.InterNetworkV6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP;

    public IDisposable JoinGroup(IPAddress group, IPAddress? localInterface = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        bool v6 = _socket.AddressFamily == AddressFamily.InterNetworkV6;
        bool multicast = v6 ? group.IsIPv6Multicast : group.AddressFamily == AddressFamily.InterNetwork && (group.GetAddressBytes()[0] & 0xF0) == 0xE0;
        if (!multicast || group.AddressFamily != _socket.AddressFamily)
            throw new ArgumentException($"{group} is not a {_socket.AddressFamily} multicast address ({(v6 ? "ff00::/8" : "224.0.0.0/4")}), the kind {this} can join.", nameof(group));
        if (localInterface is not null && localInterface.AddressFamily != _socket.AddressFamily)
            throw new ArgumentException($"{localInterface} is not a {_socket.AddressFamily} address, the kind {this} joins on.", nameof(localInterface));
        object membership = v6
            ? new IPv6MulticastOption(group, localInterface is null ? 0 : InterfaceIndex(localInterface, nameof(localInterface)))
            : new MulticastOption(group, localInterface ?? IPAddress.Any);
        string where = localInterface is null ? "the interface the system chose" : $"interface {localInterface}";
        try
        {
            _socket.SetSocketOption(Level, SocketOptionName.AddMembership, membership);
        }
        catch (SocketException e)
        {
            throw new IOException($"{this} cannot join {group} on {where}: {e.Message} ({e.SocketErrorCode}).", e);
        }
        return Disposable.Create(() =>
        {
            if (_disposed.IsCancellationRequested)
                return; // closing the socket left every group
            try
            {
                _socket.SetSocketOption(Level, SocketOptionName.DropMembership, membership);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Log.LeaveGroupFailed(_logger, this, group, e.Message);
            }
        });
    }

    /// <summary>The index of the interface that has <paramref name="address"/>, as IPv6 options name interfaces.</summary>
    private static int InterfaceIndex(IPAddress address, string parameter)
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            var properties = nic.GetIPProperties();
            if (properties.UnicastAddresses.Any(a => a.Address.Equals(address)))
                return properties.GetIPv6Properties().Index;
        }
        throw new ArgumentException($"No network interface here has the address {address}.", parameter);
    }
}
