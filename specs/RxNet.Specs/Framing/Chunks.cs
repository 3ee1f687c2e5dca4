using System.Text;
using CsCheck;

namespace RxNet.Specs.Framing;

/// <summary>Random chunkings and frame lists for the property specs, and byte helpers for assertions
/// (the chunking itself is RxNet.Testing's <see cref="Chunking"/>).</summary>
public static class Chunks
{
    /// <summary>Chunk sizes from 1 to 64 bytes, with an occasional large one; used in turn, cyclically.</summary>
    public static readonly Gen<int[]> Sizes = Gen.Frequency((6, Gen.Int[1, 16]), (3, Gen.Int[17, 64]), (1, Gen.Int[65, 4096])).Array[1, 12];

    /// <summary>A few frames of random bytes, mostly short, some a few kilobytes long.</summary>
    public static readonly Gen<byte[][]> Frames = Gen.Frequency((8, Gen.Byte.Array[0, 40]), (2, Gen.Byte.Array[41, 5000])).Array[0, 30];

    /// <summary>All the frames of bytes, encoded one after the other.</summary>
    public static byte[] EncodeAll(IEncoder<ReadOnlyMemory<byte>> encoder, IEnumerable<byte[]> frames) =>
        Chunking.EncodeAll(encoder, frames.Select(f => (ReadOnlyMemory<byte>)f));

    /// <summary>Hex with optional spaces: <c>"00 02 48 49"</c>.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>A frame as a string of hex, for assertions that show bytes.</summary>
    public static string ToHex(this ReadOnlyMemory<byte> frame) => Convert.ToHexString(frame.Span);

    /// <summary>A frame as Latin-1 text (one char per byte), for assertions on ASCII frames.</summary>
    public static string Text(this ReadOnlyMemory<byte> frame) => Encoding.Latin1.GetString(frame.Span);

    /// <summary>Whether two lists of frames hold the same bytes.</summary>
    public static bool SameBytes(IReadOnlyList<byte[]> expected, IReadOnlyList<ReadOnlyMemory<byte>> actual) =>
        expected.Count == actual.Count && expected.Zip(actual).All(p => p.First.AsSpan().SequenceEqual(p.Second.Span));

    /// <summary>The UTF-8 bytes of <paramref name="text"/>.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
