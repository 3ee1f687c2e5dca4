using System.Diagnostics.CodeAnalysis;
using System.Reactive.Subjects;
using System.Text;

namespace RxNet.Specs.Fakes;

/// <summary>
/// The sending side of a <see cref="FakeConnection"/>: records every write, the completion and the
/// error, and lets the spec set <see cref="Writable"/> and <see cref="PendingBytes"/>.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "A BehaviorSubject holds no unmanaged resource; it lives as long as the spec.")]
public sealed class FakeOutput : IConnectionOutput
{
    private readonly BehaviorSubject<bool> _writable = new(true);
    private readonly List<byte[]> _writes = [];

    /// <summary>Every chunk accepted by <c>OnNext</c> before the output ended, copied, in order.</summary>
    public IReadOnlyList<byte[]> Writes => _writes;

    /// <summary>All written bytes as one UTF-8 string.</summary>
    public string Text => Encoding.UTF8.GetString([.. _writes.SelectMany(w => w)]);

    /// <summary>How many times <c>OnCompleted</c> was called.</summary>
    public int CompletedCount { get; private set; }

    /// <summary>Whether <c>OnCompleted</c> was called.</summary>
    public bool IsCompleted => CompletedCount > 0;

    /// <summary>The error passed to <c>OnError</c>, if any.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Whether the output was aborted by its connection (<see cref="FakeConnection.Dispose"/>).</summary>
    public bool IsAborted { get; private set; }

    /// <summary>Writes made after completion, error or abort (a no-op by contract).</summary>
    public int WritesAfterEnd { get; private set; }

    /// <summary>The writability signal; change it with <see cref="SetWritable"/>.</summary>
    public IObservable<bool> Writable => _writable;

    /// <summary>The subject behind <see cref="Writable"/>, to check who observes it.</summary>
    public BehaviorSubject<bool> WritableSubject => _writable;

    /// <inheritdoc/>
    public long PendingBytes { get; set; }

    private bool Ended => CompletedCount > 0 || Error is not null || IsAborted;

    /// <summary>Flips <see cref="Writable"/>.</summary>
    public void SetWritable(bool writable) => _writable.OnNext(writable);

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

    public void OnCompleted()
    {
        CompletedCount++;
        _writable.OnCompleted();
    }

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
