using System.Buffers;

namespace RxNet.Http;

/// <summary>
/// A per-thread buffer for a message head (a server's response, a client's request, with a small body or chunk) that
/// is handed to a connection's output at once: outputs copy what <c>OnNext</c> gives them, so one buffer per thread
/// serves every connection.
/// </summary>
/// <remarks>Taken out of its slot while in use, so a re-entrant caller gets a fresh one instead of sharing it.</remarks>
internal static class ScratchWriter
{
    private const int KeepAtMost = 16 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_writer;

    public static ArrayBufferWriter<byte> Rent()
    {
        var writer = t_writer ?? new ArrayBufferWriter<byte>(512);
        t_writer = null;
        return writer;
    }

    public static void Return(ArrayBufferWriter<byte> writer)
    {
        if (writer.Capacity > KeepAtMost)
            return; // a large body's buffer is not kept per thread
        writer.ResetWrittenCount();
        t_writer = writer;
    }
}
