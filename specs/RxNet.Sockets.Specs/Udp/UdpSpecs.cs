using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using RxNet.Sockets.Specs.Tcp;
using Xunit;

namespace RxNet.Sockets.Specs.Udp;

/// <summary>UDP sockets on loopback: whole datagrams with their sender's address, a unicast input,
/// sizes checked before sending, and binding tied to the subscription.</summary>
public sealed class UdpSpecs : IDisposable
{
    private readonly List<IDisposable> _bindings = [];
    private readonly SocketReactor _reactor = new();

    [Fact]
    public async Task Echo_TenDatagramsOfGrowingSize_EachComesBackWholeFromTheEchoAddress()
    {
        var server = await BindAsync();
        server.Input.Subscribe(d => server.Output.OnNext(d));
        var client = await BindAsync();
        var received = Collect(client);

        for (int i = 0; i < 10; i++)
        {
            var payload = Enumerable.Range(0, 1 + (i * 6000)).Select(b => (byte)(b + i)).ToArray();
            client.Output.OnNext(new Datagram(payload, server.LocalEndPoint));
            var echo = await received.ReadAsync(Bounded.Cancel).AsTask().Within();

            Assert.Equal(payload, echo.Payload.ToArray());
            Assert.Equal(server.LocalEndPoint, echo.RemoteEndPoint);
        }
    }

    [Fact]
    public async Task Input_DatagramArrivingWhileNobodySubscribes_IsDeliveredToTheNextSubscriber()
    {
        var receiver = await BindAsync();
        var sender = await BindAsync();
        var first = Collect(receiver, out var firstSubscription);
        sender.Output.OnNext(Text("one", receiver.LocalEndPoint));
        Assert.Equal("one", Encoding.UTF8.GetString((await first.ReadAsync(Bounded.Cancel).AsTask().Within()).Payload.Span));

        firstSubscription.Dispose();
        sender.Output.OnNext(Text("two", receiver.LocalEndPoint));
        var second = Collect(receiver);

        Assert.Equal("two", Encoding.UTF8.GetString((await second.ReadAsync(Bounded.Cancel).AsTask().Within()).Payload.Span));
    }

    [Fact]
    public async Task Input_SecondConcurrentSubscriber_FailsWithInvalidOperationMentioningPublish()
    {
        var socket = await BindAsync();
        using var first = socket.Input.Subscribe(_ => { });
        Exception? error = null;

        using var second = socket.Input.Subscribe(_ => { }, e => error = e);

        Assert.Contains("Publish", Assert.IsType<InvalidOperationException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_PayloadAboveTheMaximum_ThrowsNamingBothSizes()
    {
        var socket = await BindAsync();

        var error = Assert.Throws<ArgumentException>(() =>
            socket.Output.OnNext(new Datagram(new byte[65_508], new IPEndPoint(IPAddress.Loopback, 9))));

        Assert.Equal(65_507, socket.MaxDatagramSize);
        Assert.Contains("65508", error.Message, StringComparison.Ordinal);
        Assert.Contains("65507", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Datagrams_OfOneThousandAndTheMaximumBytesSentBackToBack_ArriveWholeOnePerReceive()
    {
        var receiver = await BindAsync();
        var sender = await BindAsync();
        var received = Collect(receiver);
        int[] sizes = [1, 1000, 65_507, 1, 65_507];

        foreach (int size in sizes)
            sender.Output.OnNext(new Datagram(Enumerable.Range(0, size).Select(b => (byte)(b * 7 + size)).ToArray(), receiver.LocalEndPoint));

        foreach (int size in sizes)
        {
            var datagram = await received.ReadAsync(Bounded.Cancel).AsTask().Within();
            Assert.Equal(Enumerable.Range(0, size).Select(b => (byte)(b * 7 + size)), datagram.Payload.ToArray());
        }
    }

    [Fact]
    public async Task Output_IPv6PayloadAboveItsMaximum_ThrowsNamingBothSizes()
    {
        var socket = await BindAsync(@"udp:0:interface=\:\:1");

        var error = Assert.Throws<ArgumentException>(() =>
            socket.Output.OnNext(new Datagram(new byte[65_528], new IPEndPoint(IPAddress.IPv6Loopback, 9))));

        Assert.Equal(65_527, socket.MaxDatagramSize);
        Assert.Contains("65528", error.Message, StringComparison.Ordinal);
        Assert.Contains("65527", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoteEndPoint_UnconnectedSocket_IsNull()
    {
        var socket = await BindAsync();

        Assert.Null(socket.RemoteEndPoint);
        Assert.IsAssignableFrom<IMulticastSocket>(socket);
    }

    [Fact]
    public async Task Output_HostNameInsteadOfAddress_ThrowsAskingToResolveFirst()
    {
        var socket = await BindAsync();

        var error = Assert.Throws<ArgumentException>(() => socket.Output.OnNext(Text("x", new DnsEndPoint("localhost", 9))));

        Assert.Contains("resolve", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bind_SubscriptionDisposed_CompletesTheInputAndFreesThePort()
    {
        var endpoint = new UdpEndpoint(new IPEndPoint(IPAddress.Loopback, 0));
        var bound = new TaskCompletionSource<IDatagramSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var binding = endpoint.Bind().Subscribe(bound.SetResult);
        var socket = await bound.Task.Within();
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        socket.Input.Subscribe(_ => { }, completed.SetResult);

        binding.Dispose();
        await completed.Task.Within();
        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        again.Bind(socket.LocalEndPoint); // throws if the port were still bound
    }

    [Fact]
    public async Task Bind_PortInUse_FailsWithIOExceptionNamingTheEndpoint()
    {
        var first = await BindAsync();
        int port = ((IPEndPoint)first.LocalEndPoint).Port;
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);

        using var second = new UdpEndpoint(new IPEndPoint(IPAddress.Loopback, port)).Bind().Subscribe(_ => { }, failed.SetResult);

        var error = Assert.IsType<IOException>(await failed.Task.Within());
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PortAndEscapedIPv6Interface_BindsThatAddress()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Any, 9999), UdpEndpoint.Parse("udp:9999").EndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 53), UdpEndpoint.Parse(@"udp:port=53:interface=\:\:1").EndPoint);
    }

    [Fact]
    public void Parse_UnknownParameter_FailsNamingIt()
    {
        var error = Assert.Throws<FormatException>(() => UdpEndpoint.Parse("udp:9999:backlog=5"));

        Assert.Contains("backlog", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var binding in _bindings)
            binding.Dispose();
        _reactor.Dispose();
    }

    private async Task<IDatagramSocket> BindAsync(string description = "udp:0:interface=127.0.0.1")
    {
        var bound = new TaskCompletionSource<IDatagramSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _bindings.Add(_reactor.DatagramEndpoint(description).Bind().Subscribe(bound.SetResult, bound.SetException));
        return await bound.Task.Within();
    }

    private static ChannelReader<Datagram> Collect(IDatagramSocket socket) => Collect(socket, out _);

    private static ChannelReader<Datagram> Collect(IDatagramSocket socket, out IDisposable subscription)
    {
        var channel = Channel.CreateUnbounded<Datagram>();
        subscription = socket.Input.Subscribe(d => channel.Writer.TryWrite(d), e => channel.Writer.TryComplete(e), () => channel.Writer.TryComplete());
        return channel.Reader;
    }

    private static Datagram Text(string text, EndPoint to) => new(Encoding.UTF8.GetBytes(text), to);
}
