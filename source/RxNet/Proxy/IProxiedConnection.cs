using System.Net;

namespace RxNet;

/// <summary>
/// A connection that arrived through a proxy speaking the PROXY protocol: its <see cref="IConnection.RemoteEndPoint"/>
/// and <see cref="IConnection.LocalEndPoint"/> are the original client's and server's addresses from the header, and
/// its input starts at the first byte after the header.
/// </summary>
/// <remarks>When the header carries no addresses (<see cref="ProxyCommand.Local"/>, version 1 <c>UNKNOWN</c>, an
/// unspecified family), the endpoints are the real ones, as the spec asks. Everything else is the connection's own:
/// the same output, <see cref="IConnection.Closed"/> and <see cref="IDisposable.Dispose"/>.</remarks>
public interface IProxiedConnection : IConnection
{
    /// <summary>The header the proxy sent.</summary>
    ProxyHeader ProxyHeader { get; }

    /// <summary>The real peer of the connection: the proxy (the address a server should check against the proxies it trusts).</summary>
    EndPoint? ProxyEndPoint { get; }
}
