using RxNet.Transport;
using Xunit;

namespace RxNet.Specs.Transport;

/// <summary>
/// <see cref="ConnectionLifetime.Closed"/> holds its first subscriber without a subject: every subscriber, first,
/// later or late, is still told the reason once, in the order they came, and a disposed one is not told.
/// </summary>
public sealed class ConnectionLifetimeSpecs
{
    [Fact]
    public void Closed_FirstSubscriberDisposedBeforeRelease_IsNotTold()
    {
        var lifetime = new ConnectionLifetime(new Resource());
        var told = new List<string>();
        var first = lifetime.Closed.Subscribe(r => told.Add($"first {r.Reason}"));
        lifetime.Closed.Subscribe(r => told.Add($"second {r.Reason}"));

        first.Dispose();
        lifetime.Abort(null);

        Assert.Equal(["second Aborted"], told);
    }

    [Fact]
    public void Closed_SeveralSubscribers_EachToldTheReasonOnceThenCompletedInOrder()
    {
        var lifetime = new ConnectionLifetime(new Resource());
        var told = new List<string>();
        for (int i = 1; i <= 3; i++)
        {
            int n = i;
            lifetime.Closed.Subscribe(r => told.Add($"{n} {r.Reason}"), () => told.Add($"{n} done"));
        }

        lifetime.InputEnding(null);
        lifetime.InputEnded(null);
        lifetime.OutputEnding();
        lifetime.OutputEnded();

        Assert.Equal(["1 PeerClose", "1 done", "2 PeerClose", "2 done", "3 PeerClose", "3 done"], told);
    }

    [Fact]
    public void Closed_SubscribedAfterRelease_ReplaysTheReasonAtOnce()
    {
        var error = new InvalidOperationException("boom");
        var lifetime = new ConnectionLifetime(new Resource());
        lifetime.Fail(error);
        ConnectionClosed? told = null;
        bool completed = false;

        lifetime.Closed.Subscribe(r => told = r, () => completed = true);

        Assert.Equal(new ConnectionClosed(ConnectionCloseReason.Error, error), told);
        Assert.True(completed);
    }

    [Fact]
    public void Closed_FirstSubscriberLeftAndAnotherCame_TheNewOneIsTold()
    {
        var lifetime = new ConnectionLifetime(new Resource());
        var told = new List<string>();
        var first = lifetime.Closed.Subscribe(r => told.Add("first"));
        first.Dispose();
        lifetime.Closed.Subscribe(r => told.Add("second"));

        first.Dispose(); // a second disposal of the old subscription must not drop the new subscriber
        lifetime.Close();
        lifetime.OutputEnding();
        lifetime.OutputEnded();

        Assert.Equal(["second"], told);
    }

    private sealed class Resource : IConnectionResource
    {
        public void Abort(Exception? error)
        {
        }

        public void Release()
        {
        }
    }
}
