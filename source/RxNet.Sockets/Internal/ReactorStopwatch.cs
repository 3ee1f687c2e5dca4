using System.Reactive.Concurrency;

namespace RxNet.Sockets.Internal;

/// <summary>A stopwatch on the reactor's monotonic clock, for Rx operators that measure time on the reactor's
/// scheduler (<see cref="IStopwatchProvider"/>).</summary>
internal sealed class ReactorStopwatch(Func<long> elapsedTicks) : IStopwatch
{
    private readonly long _start = elapsedTicks();

    public TimeSpan Elapsed => TimeSpan.FromTicks(elapsedTicks() - _start);
}
