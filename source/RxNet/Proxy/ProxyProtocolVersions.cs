namespace RxNet;

/// <summary>Which versions of the PROXY protocol a server accepts; told apart by their first bytes.</summary>
[Flags]
public enum ProxyProtocolVersions
{
    /// <summary>Version 1: one line of text, <c>PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\n</c>, 107 bytes at most.</summary>
    V1 = 1,

    /// <summary>Version 2: binary, after the 12-byte signature <c>\r\n\r\n\0\r\nQUIT\n</c>.</summary>
    V2 = 2,

    /// <summary>Either version, detected by the first bytes (HAProxy's <c>accept-proxy</c>, Twisted's <c>haproxy:</c>).</summary>
    Any = V1 | V2,
}
