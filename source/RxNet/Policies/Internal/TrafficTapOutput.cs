using Microsoft.Extensions.Logging;
using RxNet.Operators.Internal;

namespace RxNet.Policies.Internal;

/// <summary>
/// A connection's output seen through an <see cref="ITrafficTap"/>: writes, completion and abort go straight
/// to the underlying output (which copies, coalesces and keeps the water marks), with the tap told first.
/// <see cref="Writable"/> and <see cref="PendingBytes"/> are the underlying output's.
/// </summary>
internal sealed class TrafficTapOutput(IConnectionOutput output, ITrafficTap tap) : IConnectionOutput, ILoggingOutput
{
    private int _finished;

    public IObservable<bool> Writable => output.Writable;

    public ILogger Logger => OverflowReport.LoggerOf(output);

    /// <summary>The connection was disposed or closed: later writes are the output's to ignore, and go unheard.</summary>
    public void Finish() => Volatile.Write(ref _finished, 1);

    public long PendingBytes => output.PendingBytes;

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        // Writes after the end are the output's to count and ignore; the tap hears only real traffic.
        if (!value.IsEmpty && Volatile.Read(ref _finished) == 0)
            tap.Sending(value);
        output.OnNext(value);
    }

    public void OnCompleted()
    {
        if (Interlocked.Exchange(ref _finished, 1) == 0)
            tap.OutputCompleted();
        output.OnCompleted();
    }

    public void OnError(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Interlocked.Exchange(ref _finished, 1) == 0)
            tap.OutputFailed(error);
        output.OnError(error);
    }
}
