using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Reactive.Testing;
using Xunit;

namespace RxNet.Specs.Endpoints;

/// <summary>
/// <c>Listeners.Exclusive</c>, the rule every <c>Listen()</c> keeps: one subscription at a time, a second concurrent one
/// fails saying to <c>Publish()</c>, and resubscribing after a dispose or an error binds again.
/// </summary>
public sealed class ListenersSpecs
{
    private int _binds;
    private int _unbinds;

    [Fact]
    public void Exclusive_SecondConcurrentSubscription_FailsAtOnceNamingTheEndpointAndPublishWithoutBinding()
    {
        var listener = Listeners.Exclusive(Binding(), "tcp:0");
        using var first = listener.Subscribe(_ => { });
        Exception? error = null;

        using var second = listener.Subscribe(_ => { }, e => error = e);

        var refused = Assert.IsType<InvalidOperationException>(error);
        Assert.Contains("tcp:0", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Publish()", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, _binds);
    }

    [Fact]
    public void Exclusive_SubscribedAgainAfterDispose_BindsAgainAfterUnbinding()
    {
        var listener = Listeners.Exclusive(Binding(), "tcp:0");
        listener.Subscribe(_ => { }).Dispose();

        using var again = listener.Subscribe(_ => { }, e => Assert.Fail(e.Message));

        Assert.Equal((2, 1), (_binds, _unbinds));
    }

    [Fact]
    public void Exclusive_RetryAfterAnError_BindsAgain()
    {
        var failures = new Subject<IConnection>();
        int attempts = 0;
        var listener = Listeners.Exclusive(Observable.Defer(() => ++attempts == 1 ? failures : Binding()), "tcp:8000");
        Exception? error = null;
        using var retrying = listener.Retry().Subscribe(_ => { }, e => error = e);

        failures.OnError(new IOException("accept failed"));

        Assert.Null(error);
        Assert.Equal((2, 1), (attempts, _binds));
    }

    [Fact]
    public void Exclusive_PublishedToManyQueries_BindsOnceAndHandsEveryConnectionToEach()
    {
        var accepted = new Subject<IConnection>();
        var listener = Listeners.Exclusive(Binding(accepted), "tcp:0").Publish().RefCount();
        var seen = new List<string>();
        using var one = listener.Subscribe(_ => seen.Add("one"));
        using var two = listener.Subscribe(_ => seen.Add("two"));
        using var three = listener.Subscribe(_ => seen.Add("three"));

        accepted.OnNext(new FakeConnection());

        Assert.Equal(1, _binds);
        Assert.Equal(["one", "two", "three"], seen);
    }

    [Fact]
    public void Listen_SimulatedListenerSubscribedTwice_RefusesTheSecondAndKeepsTheFirstServing()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var listener = network.Host("server").Reactor.ServerEndpoint("tcp:7000").Listen();
        var accepted = 0;
        using var first = listener.Subscribe(c => { accepted++; c.Dispose(); });
        Exception? error = null;

        using var second = listener.Subscribe(_ => { }, e => error = e);
        network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=7000").Connect().Subscribe(_ => { }, _ => { });
        scheduler.Start();

        Assert.Contains("Publish()", Assert.IsType<InvalidOperationException>(error).Message, StringComparison.Ordinal);
        Assert.Equal(1, accepted);
    }

    /// <summary>A listener that counts its binds and unbinds and hands over what <paramref name="accepted"/> emits.</summary>
    private IObservable<IConnection> Binding(IObservable<IConnection>? accepted = null) =>
        Observable.Create<IConnection>(observer =>
        {
            _binds++;
            var accepting = (accepted ?? Observable.Never<IConnection>()).Subscribe(observer);
            return () =>
            {
                accepting.Dispose();
                _unbinds++;
            };
        });
}
