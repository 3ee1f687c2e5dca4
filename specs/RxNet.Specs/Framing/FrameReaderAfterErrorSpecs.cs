using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text;
using Xunit;

namespace RxNet.Specs.Framing;

/// <summary>
/// What a <see cref="FrameReader"/> leaves for the next read after a decoder refused the stream: a protocol
/// that answers a too-long line by switching decoders (to skip it, or to report it, as Twisted's
/// <c>lineLengthExceeded</c> gets the rest of the buffer) must see the same bytes under every chunking.
/// </summary>
public sealed class FrameReaderAfterErrorSpecs
{
    [Fact]
    public void FrameReader_AfterALineAboveTheMaximum_TheNextReadStartsAtTheSameByteUnderEverySplit()
    {
        var starts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var chunks in Chunking.All(Chunks.Utf8("abcdef\nxy\n")))
        {
            var input = new Subject<ReadOnlyMemory<byte>>();
            using var reader = new FrameReader(input);
            string? next = null;
            reader.Read(new LineDecoder(LineOptions.Default with { MaxLength = 4 })).Subscribe(
                _ => { },
                _ => reader.Read(new LineDecoder()).Take(1).Subscribe(line => next = Encoding.UTF8.GetString(line.Span)));

            foreach (var chunk in chunks)
                input.OnNext(chunk);

            starts.Add(next ?? "(nothing)");
        }

        // A decoder that throws consumes nothing, so the next read starts at the long line. (LineDecoder once
        // sliced the line off before throwing when its delimiter was already buffered, and not when it was
        // still coming: half of the splits gave "xy", the other half "abcdef".)
        Assert.True(starts.Count == 1, "the next read starts at different bytes depending on the chunking: " + string.Join(" | ", starts));
        Assert.Equal("abcdef", starts.Single());
    }
}
