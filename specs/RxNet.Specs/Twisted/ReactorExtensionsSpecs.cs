using RxNet.Specs.Fakes;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>
/// Twisted's reactor verbs on any <see cref="IReactor"/>: the endpoint strings <c>ListenTcp</c> and
/// <c>ConnectTcp</c> ask for, and <c>CallLater</c> in virtual time.
/// </summary>
public sealed class ReactorExtensionsSpecs
{
    private readonly FakeReactor _reactor = new();

    [Theory]
    [InlineData(8000, 50, "", "tcp:8000:backlog=50")]
    [InlineData(0, 50, "", "tcp:0:backlog=50")]
    [InlineData(8000, 10, "127.0.0.1", "tcp:8000:backlog=10:interface=127.0.0.1")]
    [InlineData(8000, 50, "localhost", "tcp:8000:backlog=50:interface=localhost")]
    [InlineData(8000, 50, "::1", @"tcp6:8000:backlog=50:interface=\:\:1")]
    [InlineData(443, 50, "::", @"tcp6:443:backlog=50:interface=\:\:")]
    [InlineData(8000, 50, "fe80::1", @"tcp6:8000:backlog=50:interface=fe80\:\:1")]
    public void ListenTcp_PortBacklogInterface_AsksForTheTwistedEndpointString(int port, int backlog, string @interface, string expected)
    {
        using var listening = _reactor.ListenTcp(port, new CountingFactory(), backlog, @interface);

        Assert.Equal(expected, Assert.Single(_reactor.ServerEndpoints).Description);
    }

    [Fact]
    public void ListenTcp_DefaultBacklog_IsFiftyAsInTwisted()
    {
        using var listening = _reactor.ListenTcp(8000, new CountingFactory());

        var d = EndpointDescription.Parse(_reactor.ServerEndpoints[0].Description);
        Assert.Equal("50", d.Parameters["backlog"]);
    }

    [Fact]
    public void ListenTcp_IPv6Interface_ParsesBackToTheAddress()
    {
        using var listening = _reactor.ListenTcp(8000, new CountingFactory(), @interface: "::1");

        var d = EndpointDescription.Parse(_reactor.ServerEndpoints[0].Description);
        Assert.Equal("tcp6", d.Scheme);
        Assert.Equal(["8000"], d.Arguments);
        Assert.Equal("::1", d.Parameters["interface"]);
    }

    [Fact]
    public void ListenTcp_NullArguments_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ReactorExtensions.ListenTcp(null!, 8000, new CountingFactory()));
        Assert.Throws<ArgumentNullException>(() => _reactor.ListenTcp(8000, null!));
        Assert.Throws<ArgumentNullException>(() => _reactor.ListenTcp(8000, new CountingFactory(), @interface: null!));
        Assert.Empty(_reactor.ServerEndpoints);
    }

    [Theory]
    [InlineData("example.com", 80, 30, "tcp:host=example.com:port=80:timeout=30")]
    [InlineData("127.0.0.1", 8000, 30, "tcp:host=127.0.0.1:port=8000:timeout=30")]
    [InlineData("::1", 8000, 30, @"tcp:host=\:\:1:port=8000:timeout=30")]
    [InlineData("example.com", 80, 2.5, "tcp:host=example.com:port=80:timeout=2.5")]
    public void ConnectTcp_HostPortTimeout_AsksForTheTwistedEndpointString(string host, int port, double timeout, string expected)
    {
        _reactor.ConnectTcp(host, port, new CountingFactory(), timeout);

        Assert.Equal(expected, Assert.Single(_reactor.ClientEndpoints).Description);
    }

    [Fact]
    public void ConnectTcp_IPv6Host_ParsesBackToTheAddress()
    {
        _reactor.ConnectTcp("::1", 8000, new CountingFactory());

        var d = EndpointDescription.Parse(_reactor.ClientEndpoints[0].Description);
        Assert.Equal("::1", d.Parameters["host"]);
        Assert.Equal("8000", d.Parameters["port"]);
        Assert.Equal("30", d.Parameters["timeout"]);
    }

    [Fact]
    public void ConnectTcp_BadArguments_ThrowBeforeAskingForAnEndpoint()
    {
        Assert.Throws<ArgumentNullException>(() => ReactorExtensions.ConnectTcp(null!, "h", 80, new CountingFactory()));
        Assert.Throws<ArgumentException>(() => _reactor.ConnectTcp(" ", 80, new CountingFactory()));
        Assert.Throws<ArgumentNullException>(() => _reactor.ConnectTcp("h", 80, null!));
        Assert.Empty(_reactor.ClientEndpoints);
    }

    [Fact]
    public void CallLater_Seconds_FiresAtExactlyThatVirtualTimeAndNotBefore()
    {
        var scheduler = _reactor.TestScheduler;
        long due = TimeSpan.FromSeconds(1.5).Ticks;
        var firedAt = new List<long>();

        using var call = _reactor.CallLater(1.5, () => firedAt.Add(scheduler.Clock));
        scheduler.AdvanceTo(due - 1);
        Assert.Empty(firedAt);

        scheduler.AdvanceTo(due);
        Assert.Equal([due], firedAt);

        scheduler.AdvanceBy(TimeSpan.FromHours(1).Ticks);
        Assert.Equal([due], firedAt);
    }

    [Fact]
    public void CallLater_TimeSpan_FiresThatLongAfterNow()
    {
        var scheduler = _reactor.TestScheduler;
        scheduler.AdvanceTo(1_000);
        long due = 1_000 + TimeSpan.FromMilliseconds(250).Ticks;
        var firedAt = new List<long>();

        using var call = _reactor.CallLater(TimeSpan.FromMilliseconds(250), () => firedAt.Add(scheduler.Clock));
        scheduler.AdvanceTo(due - 1);
        Assert.Empty(firedAt);
        scheduler.AdvanceTo(due);

        Assert.Equal([due], firedAt);
    }

    [Fact]
    public void CallLater_SeveralCalls_FireInOrderOfTheirDueTimes()
    {
        var fired = new List<string>();

        using var late = _reactor.CallLater(3, () => fired.Add("three"));
        using var early = _reactor.CallLater(1, () => fired.Add("one"));
        using var middle = _reactor.CallLater(2, () => fired.Add("two"));
        _reactor.TestScheduler.Start();

        Assert.Equal(["one", "two", "three"], fired);
    }

    [Fact]
    public void CallLater_HandleDisposedBeforeDue_NeverFires()
    {
        bool fired = false;
        var call = _reactor.CallLater(5, () => fired = true);
        _reactor.TestScheduler.AdvanceBy(TimeSpan.FromSeconds(4).Ticks);

        call.Dispose();
        _reactor.TestScheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);

        Assert.False(fired);
    }

    [Fact]
    public void CallLater_HandleDisposedAfterFiring_IsHarmless()
    {
        int fired = 0;
        var call = _reactor.CallLater(1, () => fired++);
        _reactor.TestScheduler.Start();

        var error = Record.Exception(call.Dispose);

        Assert.Null(error);
        Assert.Equal(1, fired);
    }

    [Fact]
    public void CallLater_ReactorStop_StopsTheReactorAtTheDueTimeAsTwistedScriptsDo()
    {
        using var stop = _reactor.CallLater(5, _reactor.Stop);

        _reactor.TestScheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks - 1);
        Assert.Equal(0, _reactor.StopCount);
        _reactor.TestScheduler.AdvanceBy(1);

        Assert.Equal(1, _reactor.StopCount);
    }

    [Fact]
    public void CallLater_NullArguments_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ReactorExtensions.CallLater(null!, TimeSpan.Zero, () => { }));
        Assert.Throws<ArgumentNullException>(() => _reactor.CallLater(1, null!));
    }
}
