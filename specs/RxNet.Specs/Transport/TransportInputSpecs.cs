using System.Reactive;
using System.Reactive.Linq;
using System.Runtime.InteropServices;
using RxNet.Transport;
using Xunit;

namespace RxNet.Specs.Transport;

public sealed class TransportInputSpecs
{
    private readonly LendingReader _reader = new();

    [Fact]
    public void Lend_SubscriberIsAnOutput_GetsTheReadersOwnBuffer()
    {
        var input = new TransportInput(_reader, "owner");
        var output = new ChunkRecordingOutput();
        _reader.Data.Enqueue("abc"u8.ToArray());

        using var subscription = input.Subscribe(output);
        _reader.RunScheduled();

        Assert.True(input.CanLend);
        var chunk = Assert.Single(output.Chunks);
        Assert.Same(_reader.Buffer, chunk.Array);             // lent, not copied: an output copies it itself
        Assert.Equal("abc"u8.ToArray(), output.Copies.Single());
    }

    [Fact]
    public void Lend_SubscriberIsAPlainObserver_GetsChunksThatStayAsRead()
    {
        var input = new TransportInput(_reader, "owner");
        var kept = new List<ReadOnlyMemory<byte>>();
        _reader.Data.Enqueue("abc"u8.ToArray());
        _reader.Data.Enqueue("xyz"u8.ToArray());              // read into the same buffer after the first

        using var subscription = input.Subscribe(kept.Add);
        _reader.RunScheduled();

        Assert.False(input.CanLend);
        Assert.Equal(["abc", "xyz"], kept.Select(c => System.Text.Encoding.ASCII.GetString(c.Span)));
        Assert.All(kept, c => Assert.NotSame(_reader.Buffer, MemoryMarshal.TryGetArray(c, out var a) ? a.Array : null));
    }

    [Fact]
    public void Lend_SubscriberLeftBeforeTheAnswer_NextSubscriberGetsTheBytesAsRead()
    {
        var input = new TransportInput(_reader, "owner");
        _reader.AnswerLater = true;
        var first = input.Subscribe(new ChunkRecordingOutput());
        _reader.RunScheduled();                               // a read is now outstanding
        first.Dispose();

        _reader.Answer("abc"u8.ToArray());                    // lent while nobody is subscribed: kept as a copy
        _reader.Buffer.AsSpan().Fill((byte)'!');              // the reader reuses its buffer
        var second = new List<string>();
        using var subscription = input.Subscribe(c => second.Add(System.Text.Encoding.ASCII.GetString(c.Span)));
        _reader.RunScheduled();

        Assert.Equal(["abc"], second);
    }

    [Fact]
    public void Lend_FromAnotherThreadWhileThePumpIsStillInRead_DeliversTheBytesAsRead()
    {
        // A socket's completion can answer on its own thread before the pump has left Read; that thread then goes
        // on and reuses its buffer before the pump delivers.
        var input = new TransportInput(_reader, "owner");
        var output = new ChunkRecordingOutput();
        _reader.AnswerFromAnotherThreadThenReuse = true;
        _reader.Data.Enqueue("abc"u8.ToArray());

        using var subscription = input.Subscribe(output);
        _reader.RunScheduled();

        Assert.Equal("abc"u8.ToArray(), output.Copies.First());
    }

    [Fact]
    public void WriteTo_AnOutput_LetsTheInputLend_APlainObserverDoesNot()
    {
        var input = new TransportInput(_reader, "owner");

        using (input.WriteTo(new ChunkRecordingOutput()))
            Assert.True(input.CanLend);
        using (input.Subscribe(Observer.Create<ReadOnlyMemory<byte>>(_ => { })))
            Assert.False(input.CanLend);
    }

    /// <summary>Reads queued byte arrays into one reused buffer and lends it; runs the pump only when the spec says.</summary>
    private sealed class LendingReader : IInputReader
    {
        private readonly Queue<TransportInput> _scheduled = new();
        private TransportInput? _outstanding;

        public byte[] Buffer { get; } = new byte[16];

        public Queue<byte[]> Data { get; } = new();

        public bool AnswerLater { get; set; }

        public bool AnswerFromAnotherThreadThenReuse { get; set; }

        public void Read(TransportInput input)
        {
            if (AnswerLater || Data.Count == 0)
                _outstanding = input;
            else if (AnswerFromAnotherThreadThenReuse)
            {
                var data = Data.Dequeue();
                var completion = new Thread(() =>
                {
                    Lend(input, data);
                    Buffer.AsSpan().Fill((byte)'!');          // that thread's next read, before the pump delivers
                });
                completion.Start();
                completion.Join();                            // all of it happens before Read returns: no timing luck
            }
            else
                Lend(input, Data.Dequeue());
        }

        public void Answer(byte[] data)
        {
            var input = _outstanding!;
            _outstanding = null;
            Lend(input, data);
        }

        public void ScheduleRun(TransportInput input) => _scheduled.Enqueue(input);

        public void RunScheduled()
        {
            for (int i = 0; i < 100 && _scheduled.Count > 0; i++)
                _scheduled.Dequeue().Run();
        }

        public void Ending(Exception? error)
        {
        }

        public void Ended(Exception? error)
        {
        }

        public void SubscriberThrew(Exception error) => throw new InvalidOperationException("The subscriber threw.", error);

        private void Lend(TransportInput input, byte[] data)
        {
            data.CopyTo(Buffer, 0);
            input.Lend(Buffer.AsMemory(0, data.Length));
        }
    }

    /// <summary>An output that records the chunks it is given as they are (to see whose buffer they are) and a copy of each.</summary>
    private sealed class ChunkRecordingOutput : IConnectionOutput
    {
        public List<ArraySegment<byte>> Chunks { get; } = [];

        public List<byte[]> Copies { get; } = [];

        public IObservable<bool> Writable => Observable.Return(true);

        public long PendingBytes => 0;

        public void OnNext(ReadOnlyMemory<byte> value)
        {
            Chunks.Add(MemoryMarshal.TryGetArray(value, out var segment) ? segment : default);
            Copies.Add(value.ToArray());
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
