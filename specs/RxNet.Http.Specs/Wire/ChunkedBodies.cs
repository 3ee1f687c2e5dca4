using System.Buffers;
using System.Text;

namespace RxNet.Http.Specs.Wire;

/// <summary>Writes a body in the chunked coding for the round-trip specs, with the writer's chunk framing and a trailer section.</summary>
internal static class ChunkedBodies
{
    /// <summary>Writes <paramref name="body"/> as chunks of the given sizes (cycled), the last chunk, and the trailers.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="body">The body.</param>
    /// <param name="chunkSizes">The chunks' sizes, used in turn.</param>
    /// <param name="fields">The trailer fields to write.</param>
    /// <returns>The trailer fields as a reader should see them.</returns>
    public static HttpHeaders Write(ArrayBufferWriter<byte> output, byte[] body, int[] chunkSizes, (string Name, string Value)[] fields)
    {
        int at = 0;
        for (int i = 0; at < body.Length; i++)
        {
            int size = Math.Min(chunkSizes[i % chunkSizes.Length], body.Length - at);
            ResponseWriter.WriteChunkHeader(output, size);
            output.Write(body.AsSpan(at, size));
            ResponseWriter.WriteChunkTrailer(output);
            at += size;
        }
        output.Write("0\r\n"u8);
        var trailers = new HttpHeaders();
        foreach (var (name, value) in fields)
        {
            trailers.Add(name, value);
            output.Write(Encoding.Latin1.GetBytes($"{name}: {value}\r\n"));
        }
        output.Write("\r\n"u8);
        return trailers;
    }
}
