using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>Twisted's service tree: <c>Service</c>, <c>MultiService</c>, <c>Application</c>, <c>setServiceParent</c>;
/// start in the order added, stop in reverse, and a stop that waits for every child.</summary>
public sealed class MultiServiceSpecs
{
    private readonly List<string> _log = [];

    /// <summary>Logs its start and stop; its stop completes when the spec says so, if given a subject.</summary>
    private sealed class Recording(List<string> log, string name, AsyncSubject<Unit>? stop = null) : Service
    {
        public override void PrivilegedStartService()
        {
            base.PrivilegedStartService();
            log.Add("privileged " + name);
        }

        public override void StartService()
        {
            base.StartService();
            log.Add("start " + name);
        }

        public override IObservable<Unit> StopService()
        {
            base.StopService();
            log.Add("stop " + name);
            return stop ?? Observable.Return(Unit.Default);
        }
    }

    private Recording Child(string name, MultiService parent, AsyncSubject<Unit>? stop = null)
    {
        var child = new Recording(_log, name, stop) { Name = name };
        child.SetServiceParent(parent);
        return child;
    }

    [Fact]
    public void StartService_ChildrenStartInTheOrderAddedAfterTheirPrivilegedStart()
    {
        var application = new Application("app");
        var a = Child("a", application);
        var b = Child("b", application);
        var c = Child("c", application);

        application.PrivilegedStartService();
        application.StartService();

        Assert.Equal(["privileged a", "privileged b", "privileged c", "start a", "start b", "start c"], _log);
        Assert.True(application.Running && a.Running && b.Running && c.Running);
        Assert.Equal([a, b, c], application.Services);
    }

    [Fact]
    public void StopService_ChildrenStopInReverseOrderAndTheStopCompletesWhenAllHave()
    {
        var application = new Application("app");
        Child("a", application);
        Child("b", application);
        Child("c", application);
        application.StartService();
        _log.Clear();
        bool stopped = false;

        application.StopService().Subscribe(_ => { }, () => stopped = true);

        Assert.Equal(["stop c", "stop b", "stop a"], _log);
        Assert.True(stopped);
        Assert.False(application.Running);
    }

    [Fact]
    public void StopService_AChildStopsLate_TheParentsStopWaitsForIt()
    {
        var application = new Application("app");
        var late = new AsyncSubject<Unit>();
        var a = Child("a", application);
        Child("slow", application, late);
        Child("c", application);
        application.StartService();
        bool stopped = false;

        var stop = application.StopService();
        stop.Subscribe(_ => { }, () => stopped = true);

        Assert.False(a.Running); // every child was asked at once; the parent waits for all
        Assert.False(stopped);
        late.OnNext(Unit.Default);
        late.OnCompleted();
        Assert.True(stopped);
        bool replayed = false;
        stop.Subscribe(_ => { }, () => replayed = true);
        Assert.True(replayed);
    }

    [Fact]
    public void StopService_AChildsStopFails_TheOthersStopAndTheParentFailsWithItAfterAll()
    {
        var application = new Application("app");
        var failing = new AsyncSubject<Unit>();
        var late = new AsyncSubject<Unit>();
        Child("a", application, late);
        Child("b", application, failing);
        application.StartService();
        Exception? failure = null;

        application.StopService().Subscribe(_ => { }, e => failure = e);
        failing.OnError(new InvalidOperationException("b failed"));
        Assert.Null(failure);
        late.OnNext(Unit.Default);
        late.OnCompleted();

        Assert.Equal(["start a", "start b", "stop b", "stop a"], _log);
        Assert.Equal("b failed", failure?.Message);
    }

    [Fact]
    public void SetServiceParent_ParentRunning_StartsTheChildAtOnce()
    {
        var application = new Application("app");
        application.StartService();

        var child = Child("late", application);

        Assert.True(child.Running);
        Assert.Equal(["privileged late", "start late"], _log);
        Assert.Same(application, child.Parent);
    }

    [Fact]
    public void SetServiceParent_ParentNotRunning_DoesNotStartTheChild()
    {
        var application = new Application("app");

        var child = Child("a", application);

        Assert.False(child.Running);
        Assert.Empty(_log);
    }

    [Fact]
    public void DisownServiceParent_ParentRunning_StopsTheChildAndRemovesIt()
    {
        var application = new Application("app");
        var child = Child("a", application);
        application.StartService();
        bool stopped = false;

        child.DisownServiceParent().Subscribe(_ => { }, () => stopped = true);

        Assert.True(stopped);
        Assert.False(child.Running);
        Assert.Null(child.Parent);
        Assert.Empty(application.Services);
        Assert.Throws<KeyNotFoundException>(() => application.GetServiceNamed("a"));
    }

    [Fact]
    public void SetServiceParent_AnotherParent_LeavesTheFirstOne()
    {
        var first = new MultiService();
        var second = new MultiService();
        var child = Child("a", first);

        child.SetServiceParent(second);

        Assert.Empty(first.Services);
        Assert.Same(child, second.GetServiceNamed("a"));
    }

    [Fact]
    public void GetServiceNamed_FindsANamedChildInANestedTree()
    {
        var application = new Application("app");
        var web = new MultiService { Name = "web" };
        web.SetServiceParent(application);
        var timer = Child("timer", web);

        Assert.Same(web, application.GetServiceNamed("web"));
        Assert.Same(timer, ((MultiService)application.GetServiceNamed("web")).GetServiceNamed("timer"));
        Assert.Equal("app", application.Name);
    }

    [Fact]
    public void SetServiceParent_TwoChildrenOfOneName_RefusesTheSecond()
    {
        var application = new Application("app");
        Child("a", application);
        var twin = new Recording(_log, "a") { Name = "a" };

        Assert.Throws<InvalidOperationException>(() => twin.SetServiceParent(application));
        Assert.Null(twin.Parent);
        Assert.Single(application.Services);
    }

    [Fact]
    public void Name_SetWhileParented_Throws()
    {
        var child = Child("a", new MultiService());

        Assert.Throws<InvalidOperationException>(() => child.Name = "b");
    }

    [Fact]
    public void SetServiceParent_ItselfOrADescendant_Throws()
    {
        var outer = new MultiService();
        var inner = new MultiService();
        inner.SetServiceParent(outer);

        Assert.Throws<InvalidOperationException>(() => outer.SetServiceParent(inner));
        Assert.Throws<InvalidOperationException>(() => outer.SetServiceParent(outer));
    }

    [Fact]
    public void StopService_NoChildren_CompletesAtOnce()
    {
        var empty = new MultiService();
        empty.StartService();

        Assert.Equal(Unit.Default, empty.StopService().Wait());
    }
}
