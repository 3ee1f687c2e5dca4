using System.Globalization;
using Microsoft.Reactive.Testing;

namespace RxNet.Testing.Contracts;

/// <summary>
/// The <see cref="TransportContract"/> for a transport driven entirely by a <see cref="TestScheduler"/>,
/// such as the <see cref="SimulatedNetwork"/>: the world runs only when a spec waits, and then exactly
/// as far as needed, with no thread and no wall clock involved.
/// </summary>
/// <remarks>
/// <para>Waiting for a value advances the scheduler item by item (<c>TestScheduler.Start()</c>) and
/// stops right after the item that produced it, so a spec can assert on what has not happened yet. If
/// the scheduler runs out of items first, the spec fails at once, naming what it waited for: in
/// virtual time, nothing more can happen.</para>
/// <para>A subclass implements <see cref="TransportContract.ConnectAsync"/> on the same scheduler it
/// passes to the constructor; <see cref="TransportContract.ConnectAsync"/> may itself wait through
/// <see cref="RunUntilAsync{T}"/>. The world must hold no endless timers: the scheduler has to run dry
/// when nothing is left to do.</para>
/// </remarks>
public abstract class VirtualTimeTransportContract : TransportContract
{
    /// <summary>Creates the suite over the world driven by <paramref name="scheduler"/>.</summary>
    /// <param name="scheduler">The virtual clock of the transport under test.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scheduler"/> is null.</exception>
    protected VirtualTimeTransportContract(TestScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        Scheduler = scheduler;
    }

    /// <summary>The virtual clock that drives the transport.</summary>
    protected TestScheduler Scheduler { get; }

    /// <summary>Runs the scheduler until <paramref name="source"/> produces, and not one item further.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="source">What to wait for.</param>
    /// <param name="description">What is awaited, for the failure message.</param>
    /// <returns>A task already finished: with the value, the source's error, or a failure saying the
    /// world went idle first.</returns>
    /// <remarks>Call it from the spec, never from inside an item the scheduler runs.</remarks>
    protected sealed override Task<T> RunUntilAsync<T>(IObservable<T> source, string description)
    {
        ArgumentNullException.ThrowIfNull(source);
        var first = new FirstNotification<T>(Scheduler);
        try
        {
            using (source.Subscribe(first))
            {
                if (!first.Arrived)
                    Scheduler.Start(); // the observer stops it right after the item that produced
            }
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
        if (first.Error is not null)
            return Task.FromException<T>(first.Error);
        if (first.HasValue)
            return Task.FromResult(first.Value!);
        return Task.FromException<T>(new InvalidOperationException(first.Arrived
            ? $"Ran until {description}, but the awaited sequence completed without a value."
            : string.Create(CultureInfo.InvariantCulture,
                $"Ran until {description}, but at virtual time {new TimeSpan(Scheduler.Clock):c} nothing was left to run: the world went idle first.")));
    }

    /// <summary>Runs the scheduler until nothing is left to run.</summary>
    /// <returns>A task already finished.</returns>
    protected sealed override Task SettleAsync()
    {
        Scheduler.Start();
        return Task.CompletedTask;
    }

    /// <summary>Keeps the first notification and stops the scheduler when it comes.</summary>
    private sealed class FirstNotification<T>(TestScheduler scheduler) : IObserver<T>
    {
        public bool Arrived { get; private set; }

        public bool HasValue { get; private set; }

        public T? Value { get; private set; }

        public Exception? Error { get; private set; }

        public void OnNext(T value)
        {
            if (Arrived)
                return;
            (Arrived, HasValue, Value) = (true, true, value);
            scheduler.Stop();
        }

        public void OnError(Exception error)
        {
            if (Arrived)
                return;
            (Arrived, Error) = (true, error);
            scheduler.Stop();
        }

        public void OnCompleted()
        {
            if (Arrived)
                return;
            Arrived = true;
            scheduler.Stop();
        }
    }
}
