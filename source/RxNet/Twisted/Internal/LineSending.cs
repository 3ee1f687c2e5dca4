using System.Buffers;
using System.Text;
using RxNet.Framing.Internal;

namespace RxNet.Twisted.Internal;

/// <summary>What <see cref="LineReceiver"/> and <see cref="LineOnlyReceiver"/> share: sending a line and its
/// delimiter in one write, through a rented buffer (the transport copies), checking a delimiter, and knowing when to
/// stop delivering.</summary>
internal static class LineSending
{
    public static void Send(ITransport transport, ReadOnlySpan<byte> line, ReadOnlySpan<byte> delimiter)
    {
        int length = line.Length + delimiter.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            line.CopyTo(buffer);
            delimiter.CopyTo(buffer.AsSpan(line.Length));
            transport.Write(buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static void Send(ITransport transport, string line, ReadOnlySpan<byte> delimiter)
    {
        ArgumentNullException.ThrowIfNull(line);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(line.Length) + delimiter.Length);
        try
        {
            int length = Encoding.UTF8.GetBytes(line, buffer);
            delimiter.CopyTo(buffer.AsSpan(length));
            transport.Write(buffer.AsMemory(0, length + delimiter.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A decoder that only finds <paramref name="delimiter"/>: the receivers check Twisted's limits themselves.</summary>
    public static LineDecoder Decoder(ReadOnlyMemory<byte> delimiter) =>
        new(new LineOptions { Delimiter = delimiter, StripCarriageReturn = false, MaxLength = int.MaxValue });

    /// <summary>A delimiter's own copy, checked.</summary>
    /// <exception cref="ArgumentException">It is empty.</exception>
    public static byte[] CopyOfDelimiter(ReadOnlyMemory<byte> value)
    {
        if (value.IsEmpty)
            throw new ArgumentException("A line delimiter needs at least one byte.", nameof(value));
        return value.ToArray();
    }

    /// <summary>Whether the protocol has started closing (Twisted's <c>transport.disconnecting</c>): line receivers
    /// deliver no more lines then.</summary>
    public static bool Disconnecting(Protocol protocol) =>
        protocol.Connected && protocol.Transport.Disconnecting;
}
