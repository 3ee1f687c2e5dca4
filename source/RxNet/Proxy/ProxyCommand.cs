namespace RxNet;

/// <summary>What a PROXY protocol header says about its connection (the low nibble of a version 2 header's 13th byte).</summary>
public enum ProxyCommand
{
    /// <summary>The proxy made the connection for itself (a health check): the real endpoints are the ones to use
    /// and the header's addresses, if any, are ignored.</summary>
    Local = 0,

    /// <summary>The connection is relayed on behalf of a client: the header's addresses are the original ones.
    /// Every version 1 header is a <see cref="Proxy"/> one, <c>UNKNOWN</c> included.</summary>
    Proxy = 1,
}
