using Xunit;

namespace RxNet.Testing.Contracts;

/// <summary>
/// The <see cref="TransportContract"/> for a transport that runs on its own, in real time, such as
/// operating-system sockets: waiting for something awaits it, bounded by a generous safety limit.
/// </summary>
/// <remarks>
/// <para>The limit (<see cref="SafetyBound"/>, 20 s by default) is a safety net, never a timing
/// assumption: every spec waits for an event that a correct transport produces, so a run only meets
/// the limit when the transport is broken (or the machine is stalled), and then fails with a message
/// naming what it waited for rather than hanging.</para>
/// <para>A subclass implements <see cref="TransportContract.ConnectAsync"/> (listening on a port the system
/// picks, and connecting to it) and overrides <see cref="TransportContract.DisposeAsyncCore"/> to release its
/// listeners. Callbacks of the transport arrive on its own threads; the suite's probes are thread-safe,
/// and continuations of waits never run inside a transport's callback.</para>
/// </remarks>
public abstract class RealTimeTransportContract : TransportContract
{
    /// <summary>How long any one wait may take before the spec fails: 20 s by default.</summary>
    protected virtual TimeSpan SafetyBound => TimeSpan.FromSeconds(20);

    /// <summary>Awaits the first value of <paramref name="source"/>, at most <see cref="SafetyBound"/>.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="source">What to wait for.</param>
    /// <param name="description">What is awaited, for the failure message.</param>
    /// <returns>The first value.</returns>
    /// <exception cref="TimeoutException">Nothing came within <see cref="SafetyBound"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="source"/> completed without a value.</exception>
    protected override async Task<T> RunUntilAsync<T>(IObservable<T> source, string description)
    {
        ArgumentNullException.ThrowIfNull(source);
        // Continuations run on the pool, never inside the transport's callback (which may hold its locks).
        var first = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = source.Subscribe(
            value => first.TrySetResult(value),
            error => first.TrySetException(error),
            () => first.TrySetException(new InvalidOperationException(
                $"Ran until {description}, but the awaited sequence completed without a value.")));
        try
        {
            // The one real timer of the suite, allowed by ADR 0017: the safety bound of a real-time world.
#pragma warning disable RS0030
            return await first.Task.WaitAsync(SafetyBound, TestContext.Current.CancellationToken);
#pragma warning restore RS0030
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(
                $"Ran until {description}, but it did not happen within {SafetyBound.TotalSeconds} s. The bound is a safety net, "
                + "not a timing assumption: a correct transport gets there long before it.", e);
        }
    }

    /// <summary>Returns at once: what a real transport has sent is kept by the operating system until read.</summary>
    /// <returns>A task already finished.</returns>
    protected override Task SettleAsync() => Task.CompletedTask;
}
