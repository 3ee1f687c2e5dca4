using System.Net;

namespace RxNet.Twisted;

/// <summary>Twisted's <c>Factory</c>: builds one <see cref="Protocol"/> per connection.</summary>
/// <remarks>Override <see cref="BuildProtocol"/>, or use <see cref="ForProtocol{T}"/> for the common
/// case of Twisted's <c>factory.protocol = Echo</c>.</remarks>
public class Factory
{
    private int _listening;

    /// <summary>Builds the protocol for a new connection; return <see langword="null"/> to refuse it.</summary>
    /// <param name="address">The peer's address.</param>
    /// <returns>The protocol, or <see langword="null"/> to close the connection at once.</returns>
    public virtual Protocol? BuildProtocol(EndPoint? address) =>
        throw new NotSupportedException($"{GetType().Name} must override BuildProtocol, or be made with Factory.ForProtocol<T>().");

    /// <summary>Called before the first port starts listening with this factory (Twisted's <c>startFactory</c>).</summary>
    public virtual void StartFactory()
    {
    }

    /// <summary>Called after the last port stopped listening with this factory (Twisted's <c>stopFactory</c>).</summary>
    public virtual void StopFactory()
    {
    }

    /// <summary>A factory that builds a new <typeparamref name="T"/> for every connection.</summary>
    /// <typeparam name="T">The protocol type.</typeparam>
    /// <returns>The factory.</returns>
    public static Factory ForProtocol<T>()
        where T : Protocol, new() => new ProtocolFactory<T>();

    internal void DoStart()
    {
        if (Interlocked.Increment(ref _listening) == 1)
            StartFactory();
    }

    internal void DoStop()
    {
        if (Interlocked.Decrement(ref _listening) == 0)
            StopFactory();
    }

    /// <summary>Serves an accepted connection with a protocol of this factory; a <see langword="null"/> protocol refuses it.</summary>
    internal void Serve(IConnection connection)
    {
        var protocol = BuildProtocol(connection.RemoteEndPoint);
        if (protocol is null)
        {
            connection.Dispose();
            return;
        }
        protocol.Factory = this;
        ConnectionTransport.Attach(connection, protocol);
    }

    private sealed class ProtocolFactory<T> : Factory
        where T : Protocol, new()
    {
        public override Protocol BuildProtocol(EndPoint? address) => new T();
    }
}
