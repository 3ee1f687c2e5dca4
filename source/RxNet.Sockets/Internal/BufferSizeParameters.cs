using System.Globalization;

namespace RxNet.Sockets.Internal;

/// <summary>The kernel buffer sizes an endpoint string may set (<c>sndbuf=BYTES</c>, <c>rcvbuf=BYTES</c>), read the same
/// way for <c>tls:</c> and <c>unix:</c> as <c>tcp:</c> reads them.</summary>
internal static class BufferSizeParameters
{
    /// <summary>The two keys, for a scheme's list of the parameters it takes.</summary>
    public static readonly string[] Keys = ["sndbuf", "rcvbuf"];

    /// <summary><paramref name="options"/> with the sizes <paramref name="d"/> gives, each a whole number of at least 1.</summary>
    /// <exception cref="FormatException">A size that is not a whole number of at least 1; the message points at it.</exception>
    public static TcpOptions Read(EndpointDescription d, TcpOptions options) => options with
    {
        SendBufferSize = Size(d, "sndbuf") ?? options.SendBufferSize,
        ReceiveBufferSize = Size(d, "rcvbuf") ?? options.ReceiveBufferSize,
    };

    /// <summary>The two keys with the sizes <paramref name="options"/> sets, for printing an endpoint back (unset ones are left out).</summary>
    public static (string Key, string? Value)[] Print(TcpOptions options) =>
    [
        ("sndbuf", options.SendBufferSize?.ToString(CultureInfo.InvariantCulture)),
        ("rcvbuf", options.ReceiveBufferSize?.ToString(CultureInfo.InvariantCulture)),
    ];

    private static int? Size(EndpointDescription d, string key) =>
        d.Parameters.TryGetValue(key, out var value) ? d.ReadInt32(key, value, 1, int.MaxValue) : null;
}
