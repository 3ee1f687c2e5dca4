using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace RxNet.Http.Specs.Client.Handler;

/// <summary>An <see cref="IHttpAgent"/> answered by a function: records what it was sent, and how many exchanges were
/// abandoned (their subscription disposed before the answer ended).</summary>
internal sealed class FakeAgent(Func<HttpRequest, IObservable<HttpResponse>> answer) : IHttpAgent
{
    public System.Reactive.Concurrency.IScheduler Scheduler => System.Reactive.Concurrency.ImmediateScheduler.Instance;

    public List<HttpRequest> Sent { get; } = [];

    public int Abandoned { get; private set; }

    public HttpRequest Request => Assert.Single(Sent);

    public static FakeAgent Answering(HttpResponse response) => new(_ => Observable.Return(response));

    public IObservable<HttpResponse> Send(HttpRequest request) => Observable.Create<HttpResponse>(observer =>
    {
        Sent.Add(request);
        bool ended = false;
        var inner = answer(request).Do(_ => { }, _ => ended = true, () => ended = true).Subscribe(observer);
        return Disposable.Create(() =>
        {
            if (!ended)
                Abandoned++;
            inner.Dispose();
        });
    });
}
