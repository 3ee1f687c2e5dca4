using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text;
using Xunit;

namespace RxNet.Specs.Framing;

/// <summary>
/// <see cref="FrameReader.ReadRaw"/>: the bytes a protocol hands over to another layer (TLS after STARTTLS) start at
/// the first byte the last read did not use, whatever the chunking, then go on with the input as it arrives.
/// </summary>
public sealed class FrameReaderRawSpecs
{
    [Fact]
    public void ReadRaw_AfterALineRead_GetsTheRestOfTheChunkThenLaterChunksUnderEverySplit()
    {
        const string Text = "STARTTLS\r\n\u0016\u0003\u0001hello-bytes";
        foreach (var chunks in Chunking.All(Chunks.Utf8(Text)))
        {
            var input = new Subject<ReadOnlyMemory<byte>>();
            using var reader = new FrameReader(input);
            var raw = new StringBuilder();
            bool completed = false;
            string? command = null;
            reader.Read(new LineDecoder(LineOptions.CrLf)).Take(1).Subscribe(
                line => command = Encoding.UTF8.GetString(line.Span),
                () => reader.ReadRaw().Subscribe(chunk => raw.Append(Encoding.UTF8.GetString(chunk.Span)), () => completed = true));

            foreach (var chunk in chunks)
                input.OnNext(chunk);
            input.OnCompleted();

            Assert.Equal("STARTTLS", command);
            Assert.Equal("\u0016\u0003\u0001hello-bytes", raw.ToString());
            Assert.True(completed);
        }
    }

    [Fact]
    public void ReadRaw_ConsumerAsksToPause_PausesTheInputUnderneath()
    {
        var demand = new List<bool>();
        var input = new PausableSource(demand);
        using var reader = new FrameReader(input);
        var canProduce = new BehaviorSubject<bool>(true);
        var raw = reader.ReadRaw();
        using var reading = raw.Subscribe(System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(_ => { }), canProduce);

        canProduce.OnNext(false);
        canProduce.OnNext(true);

        Assert.Equal([false, true], demand.SkipWhile(d => d).Take(2));
    }

    /// <summary>A pausable input that records the demand it is given.</summary>
    private sealed class PausableSource(List<bool> demand) : IConnectionInput
    {
        public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Observable.Never<ReadOnlyMemory<byte>>().Subscribe(observer);

        public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce) => canProduce.Subscribe(demand.Add);
    }
}
