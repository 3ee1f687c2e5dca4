using System.Text;
using RxNet.Twisted;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>
/// What Twisted's <c>test_basic.py</c> uses <c>proto_helpers.StringTransport</c> for: a protocol connected to an
/// in-memory connection, its writes read back (<c>value()</c>) and its <c>disconnecting</c> flag, which
/// <c>loseConnection</c> sets (here: the output completed).
/// </summary>
internal static class StringTransport
{
    public static FakeConnection MakeConnection(this Protocol protocol)
    {
        var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);
        return connection;
    }

    public static byte[] Value(this FakeConnection connection) => [.. connection.Output.Writes.SelectMany(w => w)];

    public static bool Disconnecting(this FakeConnection connection) => connection.Output.IsCompleted || connection.IsDisposed;

    public static byte[] B(string ascii) => Encoding.Latin1.GetBytes(ascii);

    public static string S(ReadOnlyMemory<byte> bytes) => Encoding.Latin1.GetString(bytes.Span);

    /// <summary>Twisted's packet loop: <c>for i in range(len(buf) // size + 1): dataReceived(buf[i*size:(i+1)*size])</c>,
    /// the last slice possibly empty.</summary>
    public static IEnumerable<byte[]> Packets(byte[] buffer, int size)
    {
        for (int i = 0; i < buffer.Length / size + 1; i++)
            yield return buffer.AsSpan(Math.Min(i * size, buffer.Length), Math.Min(size, Math.Max(0, buffer.Length - i * size))).ToArray();
    }

    /// <summary>Twisted's <c>iterbytes</c>: one byte at a time.</summary>
    public static IEnumerable<byte[]> Bytes(byte[] buffer) => buffer.Select(b => new[] { b });
}
