using System.Reactive.Disposables;
using CsCheck;
using Microsoft.Reactive.Testing;
using RxNet.Http.Server.Timing;

namespace RxNet.Http.Specs.Server.Timing;

/// <summary>
/// Random sequences of body and response calls, checked against a model of the rule written from ADR 0036 in integer
/// arithmetic: the clock (one lazily re-armed timer for every track) must expire at exactly the model's tick, with the
/// model's timeout, or never when the model never does.
/// </summary>
public sealed class HttpConnectionClockPropertySpecs
{
    private const long Second = TimeSpan.TicksPerSecond;
    private const long GraceTicks = 5 * Second;

    [Fact]
    public void Rates_AnySequenceOfCalls_ExpireExactlyWhenTheRuleSays()
    {
        var call = Gen.Select(Gen.Long[1, 3 * Second], Gen.Int[0, 7], Gen.Int[0, 1500]);
        call.Array[1, 40].Sample(calls =>
        {
            var expected = Model(calls);
            if (expected is { Ambiguous: true })
                return; // a deadline on the tick of a call: which runs first is the scheduler's queue order, not the rule
            var scheduler = new TestScheduler();
            var fired = new List<(long, HttpTimeout)>();
            using var clock = new HttpConnectionClock(scheduler, HttpServerOptions.Default, t => fired.Add((scheduler.Clock, t)));
            long at = 0;
            foreach (var (gap, op, bytes) in calls)
            {
                at += gap;
                scheduler.ScheduleAbsolute((clock, op, (long)bytes), at, static (_, c) =>
                {
                    Apply(c.clock, c.op, c.Item3);
                    return Disposable.Empty;
                });
            }

            scheduler.Start();

            Assert.Equal(expected is null ? [] : [(expected.Value.Ticks, expected.Value.Timeout)], fired);
        }, iter: 2000);
    }

    private static void Apply(HttpConnectionClock clock, int op, long bytes)
    {
        switch (op)
        {
            case 0: clock.BodyReadWaiting(); break;
            case 1: clock.BodyReadPaused(); break;
            case 2: clock.BodyBytesRead(bytes); break;
            case 3: clock.BodyComplete(); break;
            case 4: clock.ResponseWaiting(true); break;
            case 5: clock.ResponseWaiting(false); break;
            case 6: clock.ResponseBytesWritten(bytes); break;
            default: clock.ResponseComplete(); break;
        }
    }

    /// <summary>When the rule expires a track, or null when never.</summary>
    private static (long Ticks, HttpTimeout Timeout, bool Ambiguous)? Model((long Gap, int Op, int Bytes)[] calls)
    {
        var body = new Track();
        var response = new Track();
        long at = 0;
        foreach (var (gap, op, bytes) in calls)
        {
            at += gap;
            var due = Due(body, response);
            if (due is { } d && d.Ticks <= at)
                return (d.Ticks, d.Timeout, d.Ticks == at);
            var track = op < 4 ? body : response; // the same four calls on each: wait, stop waiting, count, complete
            switch (op % 4)
            {
                case 0: track.Wait(true, at); break;
                case 1: track.Wait(false, at); break;
                case 2: track.Count(bytes); break;
                default: track.Active = false; track.Waiting = false; break;
            }
        }
        return Due(body, response) is { } last ? (last.Ticks, last.Timeout, false) : null;
    }

    private static (long Ticks, HttpTimeout Timeout)? Due(Track body, Track response)
    {
        long b = body.Deadline(), r = response.Deadline();
        if (b == long.MaxValue && r == long.MaxValue)
            return null;
        return b <= r ? (b, HttpTimeout.RequestBodyTooSlow) : (r, HttpTimeout.ResponseTooSlow);
    }

    private sealed class Track
    {
        public bool Active;
        public bool Waiting;
        private long _bytes;
        private long _waited;
        private long _since;

        public void Wait(bool waiting, long at)
        {
            Begin();
            if (waiting && !Waiting)
                _since = at;
            if (!waiting && Waiting)
                _waited += at - _since;
            Waiting = waiting;
        }

        public void Count(long bytes)
        {
            Begin();
            _bytes += bytes;
        }

        /// <summary>W reaches max(grace, floor(B × 10^7 / 240) + 1): integer division is the floor.</summary>
        public long Deadline() => Active && Waiting
            ? _since + Math.Max(GraceTicks, _bytes * Second / 240 + 1) - _waited
            : long.MaxValue;

        private void Begin()
        {
            if (Active)
                return;
            Active = true;
            Waiting = false;
            _bytes = _waited = 0;
        }
    }
}
