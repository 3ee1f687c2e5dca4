using System.Reactive.Linq;

namespace RxNet.Benchmarks.Http;

/// <summary>The sending side of a <see cref="MemoryConnection"/>: always writable, it keeps no bytes, only their
/// count and the last write (for the setup's check that the right response came out).</summary>
internal sealed class CountingOutput : IConnectionOutput
{
    private static readonly IObservable<bool> AlwaysWritable = Observable.Return(true).Concat(Observable.Never<bool>());

    /// <summary>Bytes written so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Writes so far.</summary>
    public long Writes { get; private set; }

    /// <summary>Whether the writer completed or failed the output.</summary>
    public bool Ended { get; private set; }

    /// <summary>When set, every write is appended to it (the setup's check; never while measuring).</summary>
    public MemoryStream? Capture { get; set; }

    public IObservable<bool> Writable => AlwaysWritable;

    public long PendingBytes => 0;

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        Bytes += value.Length;
        Writes++;
        Capture?.Write(value.Span);
    }

    public void OnCompleted() => Ended = true;

    public void OnError(Exception error) => Ended = true;
}
