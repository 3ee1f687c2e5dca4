using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.Wire;

public sealed class HttpDateSpecs
{
    [Fact]
    public void Now_SchedulerClock_IsItsImfFixdateInUtc()
    {
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero).UtcTicks + 1234);
        var date = new HttpDate(scheduler);

        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", Encoding.ASCII.GetString(date.Now));
    }

    [Fact]
    public void Now_WithinOneSecond_IsTheSameCachedBytes_AndMovesOnWithTheClock()
    {
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero).UtcTicks);
        var date = new HttpDate(scheduler);
        ReadOnlySpan<byte> first = date.Now;

        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(999).Ticks);
        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(first), ref MemoryMarshal.GetReference(date.Now)));

        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1).Ticks);
        Assert.Equal("Fri, 01 Jan 2027 00:00:00 GMT", Encoding.ASCII.GetString(date.Now));
    }
}
