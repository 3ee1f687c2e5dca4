using System.Net;
using System.Text;
using System.Threading.Channels;
using RxNet.Sockets.Specs.Tcp;

namespace RxNet.Sockets.Specs.Udp;

/// <summary>UDP sockets of one spec, bound through a reactor's endpoint strings and unbound when it ends;
/// what a socket receives is read in order, each read bounded.</summary>
internal sealed class UdpSockets : IDisposable
{
    private readonly List<IDisposable> _bindings = [];
    private readonly SocketReactor _reactor = new();

    public async Task<IDatagramSocket> BindAsync(string description = "udp:0:interface=127.0.0.1")
    {
        var bound = new TaskCompletionSource<IDatagramSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _bindings.Add(_reactor.DatagramEndpoint(description).Bind().Subscribe(bound.SetResult, bound.SetException));
        return await bound.Task.Within();
    }

    public void Dispose()
    {
        foreach (var binding in _bindings)
            binding.Dispose();
        _reactor.Dispose();
    }

    /// <summary>Subscribes to <paramref name="socket"/>'s input: its datagrams, then its end or error, in order.</summary>
    public static ChannelReader<Datagram> Collect(IDatagramSocket socket)
    {
        var channel = Channel.CreateUnbounded<Datagram>();
        socket.Input.Subscribe(d => channel.Writer.TryWrite(d), e => channel.Writer.TryComplete(e), () => channel.Writer.TryComplete());
        return channel.Reader;
    }

    public static Datagram Text(string text, EndPoint to) => new(Encoding.UTF8.GetBytes(text), to);

    public static string Text(Datagram datagram) => Encoding.UTF8.GetString(datagram.Payload.Span);
}

/// <summary>Bounded reads of a socket's collected input.</summary>
internal static class DatagramReading
{
    /// <summary>The next datagram; the input's error, if it failed, is thrown as itself.</summary>
    public static async Task<Datagram> NextAsync(this ChannelReader<Datagram> received)
    {
        try
        {
            return await received.ReadAsync(Bounded.Cancel).AsTask().Within();
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
