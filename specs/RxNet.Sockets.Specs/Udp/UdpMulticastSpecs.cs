using System.Net;
using Xunit;
using static RxNet.Sockets.Specs.Udp.UdpSockets;

namespace RxNet.Sockets.Specs.Udp;

/// <summary>
/// Multicast on this machine's loopback: a receiver bound to the wildcard address joins a 239.255.x.y group
/// on 127.0.0.1; a sender leaves by 127.0.0.1 with loopback on. "Not received" is proven without timing
/// luck: after the group datagram the sender sends a unicast marker to the receiver, and the marker must be
/// the first thing that arrives (loopback delivers within the send, in order).
/// </summary>
[Trait("Category", "Integration")]
public sealed class UdpMulticastSpecs : IDisposable
{
    private static readonly IPAddress Group = IPAddress.Parse("239.255.71.7");

    private readonly UdpSockets _sockets = new();

    public void Dispose() => _sockets.Dispose();

    [Fact]
    public async Task JoinGroup_OnLoopback_ReceivesTheGroupsDatagramsWithTheSendersAddress()
    {
        var (receiver, sender, port) = await GroupAsync();
        var received = Collect(receiver);

        using var membership = receiver.JoinGroup(Group, IPAddress.Loopback);
        sender.Output.OnNext(Text("to the group", new IPEndPoint(Group, port)));

        var datagram = await received.NextAsync();
        Assert.Equal("to the group", Text(datagram));
        Assert.Equal(sender.LocalEndPoint, datagram.RemoteEndPoint);
    }

    [Fact]
    public async Task JoinGroup_MembershipDisposed_TheGroupsDatagramsNoLongerArrive()
    {
        var (receiver, sender, port) = await GroupAsync();
        var received = Collect(receiver);
        var membership = receiver.JoinGroup(Group, IPAddress.Loopback);
        sender.Output.OnNext(Text("joined", new IPEndPoint(Group, port)));
        Assert.Equal("joined", Text(await received.NextAsync()));

        membership.Dispose();
        membership.Dispose(); // leaving twice is harmless
        sender.Output.OnNext(Text("left", new IPEndPoint(Group, port)));
        sender.Output.OnNext(Text("marker", new IPEndPoint(IPAddress.Loopback, port)));

        Assert.Equal("marker", Text(await received.NextAsync()));
    }

    [Fact]
    public async Task JoinGroup_SameGroupTwiceOnOneInterface_FailsWithIOExceptionNamingTheGroup()
    {
        var (receiver, _, _) = await GroupAsync();
        using var membership = receiver.JoinGroup(Group, IPAddress.Loopback);

        var error = Assert.Throws<IOException>(() => receiver.JoinGroup(Group, IPAddress.Loopback));

        Assert.Contains(Group.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("ff02::1")]
    public async Task JoinGroup_NotAMulticastAddressOfTheSocketsFamily_ThrowsArgumentException(string address)
    {
        var (receiver, _, _) = await GroupAsync();

        var error = Assert.Throws<ArgumentException>(() => receiver.JoinGroup(IPAddress.Parse(address)));

        Assert.Contains("224.0.0.0/4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JoinGroup_IPv6InterfaceAddressNoInterfaceHas_ThrowsArgumentExceptionNamingIt()
    {
        var receiver = Assert.IsAssignableFrom<IMulticastSocket>(await _sockets.BindAsync(@"udp:0:interface=\:\:"));

        var error = Assert.Throws<ArgumentException>(() => receiver.JoinGroup(IPAddress.Parse("ff12::7:7"), IPAddress.Parse("2001:db8::1")));

        Assert.Contains("2001:db8::1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MulticastOptions_SetThenRead_GiveBackWhatWasSetAndRefuseABadTimeToLive()
    {
        var (_, sender, _) = await GroupAsync();

        sender.MulticastTimeToLive = 4;
        sender.MulticastLoopback = false; // on loopback itself the datagram comes back all the same: lo's sending is receiving

        Assert.Equal(4, sender.MulticastTimeToLive);
        Assert.False(sender.MulticastLoopback);
        Assert.Equal(IPAddress.Loopback, sender.MulticastInterface);
        Assert.Throws<ArgumentOutOfRangeException>(() => sender.MulticastTimeToLive = 256);
    }

    /// <summary>A receiver on the wildcard address (a group's datagrams are addressed to the group, not to
    /// 127.0.0.1) and a sender on 127.0.0.1 that sends to groups by loopback.</summary>
    private async Task<(IMulticastSocket Receiver, IMulticastSocket Sender, int Port)> GroupAsync()
    {
        var receiver = Assert.IsAssignableFrom<IMulticastSocket>(await _sockets.BindAsync("udp:0"));
        var sender = Assert.IsAssignableFrom<IMulticastSocket>(await _sockets.BindAsync());
        sender.MulticastInterface = IPAddress.Loopback;
        Assert.True(sender.MulticastLoopback);
        return (receiver, sender, ((IPEndPoint)receiver.LocalEndPoint).Port);
    }
}
