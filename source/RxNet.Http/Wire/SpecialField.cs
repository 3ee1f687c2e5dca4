namespace RxNet.Http;

/// <summary>The header fields a head parser acts on, as <see cref="FramingFields.Classify"/> names them.</summary>
internal enum SpecialField
{
    /// <summary>Any other field: kept, not interpreted.</summary>
    None,

    /// <summary>Host (requests).</summary>
    Host,

    /// <summary>Content-Length.</summary>
    ContentLength,

    /// <summary>Transfer-Encoding.</summary>
    TransferEncoding,

    /// <summary>Connection.</summary>
    Connection,

    /// <summary>Expect (requests).</summary>
    Expect,

    /// <summary>Upgrade.</summary>
    Upgrade,
}
