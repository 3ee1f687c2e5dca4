using System.Diagnostics.CodeAnalysis;
using System.Reactive.Subjects;
using System.Text;

namespace RxNet.Testing;

/// <summary>
/// The sending side of a <see cref="FakeConnection"/>: records every write, the completion and the error,
/// and lets the spec set <see cref="Writable"/> and <see cref="PendingBytes"/> to play a slow peer.
/// </summary>
/// <remarks>
/// <para>Like a real output it copies each chunk as it is written (the writer may reuse its buffer at
/// once), ignores empty writes, and counts writes after the end (<see cref="WritesAfterEnd"/>) instead of
/// throwing. It sends nothing anywhere and never changes <see cref="Writable"/> or
/// <see cref="PendingBytes"/> by itself: the spec does, to see how the code under test reacts.</para>
/// <para>Not thread-safe: drive it from one thread.</para>
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "A BehaviorSubject holds no unmanaged resource; it lives as long as the spec.")]
public sealed class FakeOutput : IConnectionOutput
{
    private readonly BehaviorSubject<bool> _writable = new(true);
    private readonly List<byte[]> _writes = [];

    /// <summary>Every non-empty chunk accepted by <c>OnNext</c> before the output ended, copied, in order.</summary>
    public IReadOnlyList<byte[]> Writes => _writes;

    /// <summary>All written bytes as one UTF-8 string.</summary>
    public string Text => Encoding.UTF8.GetString([.. _writes.SelectMany(w => w)]);

    /// <summary>How many times <c>OnCompleted</c> was called.</summary>
    public int CompletedCount { get; private set; }

    /// <summary>Whether <c>OnCompleted</c> was called.</summary>
    public bool IsCompleted => CompletedCount > 0;

    /// <summary>The first error passed to <c>OnError</c>, if any.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Whether the output was aborted by its connection (<see cref="FakeConnection.Dispose"/>).</summary>
    public bool IsAborted { get; private set; }

    /// <summary>Writes made after completion, error or abort: ignored, as the contract says, and counted here.</summary>
    public int WritesAfterEnd { get; private set; }

    /// <summary>The writability signal: <see langword="true"/> at first and to every new subscriber until
    /// <see cref="SetWritable"/> changes it; completes when the output ends.</summary>
    public IObservable<bool> Writable => _writable;

    /// <summary>Whether anyone observes <see cref="Writable"/> now: a spec's check that a writer that
    /// pauses on it also lets go of it.</summary>
    public bool HasWritableObservers => _writable.HasObservers;

    /// <summary>The bytes reported as queued; 0 unless the spec sets it.</summary>
    public long PendingBytes { get; set; }

    private bool Ended => CompletedCount > 0 || Error is not null || IsAborted;

    /// <summary>Forgets the writes recorded so far: <see cref="Writes"/> and <see cref="Text"/> start again from
    /// nothing (Twisted's <c>StringTransport.clear()</c>). Completion, error and counts are kept.</summary>
    public void Clear() => _writes.Clear();

    /// <summary>Sets <see cref="Writable"/>, as a transport does when its queue crosses a water mark.
    /// Every observer sees the value, even when it did not change.</summary>
    /// <param name="writable">The new state.</param>
    public void SetWritable(bool writable) => _writable.OnNext(writable);

    /// <summary>Records a copy of <paramref name="value"/> (see <see cref="Writes"/>).</summary>
    /// <param name="value">The bytes to "send".</param>
    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (Ended)
        {
            WritesAfterEnd++;
            return;
        }
        if (!value.IsEmpty)
            _writes.Add(value.ToArray());
    }

    /// <summary>Records the completion (a half-close) and completes <see cref="Writable"/>.</summary>
    public void OnCompleted()
    {
        CompletedCount++;
        _writable.OnCompleted();
    }

    /// <summary>Records the first error (an abort by the writer) and completes <see cref="Writable"/>.</summary>
    /// <param name="error">The error.</param>
    public void OnError(Exception error)
    {
        Error ??= error;
        _writable.OnCompleted();
    }

    internal void Abort()
    {
        IsAborted = true;
        _writable.OnCompleted();
    }
}
