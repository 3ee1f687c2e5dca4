using System.Reactive.Linq;
using System.Text;

namespace RxNet.Http.Specs.Client.Policies;

/// <summary>
/// An <see cref="IHttpAgent"/> backed by a lambda: records every request it is sent, reads its body as an agent
/// would (unless told not to) and answers with what the lambda returns, its <see cref="HttpResponse.Request"/> set
/// to the request sent.
/// </summary>
internal sealed class FakeAgent(Func<HttpRequest, HttpResponse> answer, bool readsBodies = true) : IHttpAgent
{
    public System.Reactive.Concurrency.IScheduler Scheduler => System.Reactive.Concurrency.ImmediateScheduler.Instance;

    public List<HttpRequest> Sent { get; } = [];

    /// <summary>The body of each request sent, as read (null when the agent did not read it).</summary>
    public List<string?> SentBodies { get; } = [];

    public IObservable<HttpResponse> Send(HttpRequest request) => Observable.Defer(() =>
    {
        Sent.Add(request);
        string? body = null;
        if (readsBodies)
        {
            var bytes = new List<byte>();
            request.Body.Subscribe(chunk => bytes.AddRange(chunk.ToArray()));
            body = Encoding.UTF8.GetString([.. bytes]);
        }
        SentBodies.Add(body);
        var response = answer(request);
        var sent = new HttpResponse(response.StatusCode) { Body = response.Body, ContentLength = response.ContentLength, Request = request, Version = response.Version };
        foreach (var (name, value) in response.Headers)
            sent.Headers.Add(name, value);
        return Observable.Return(sent);
    });

    /// <summary>A redirect with a small body the spec can watch.</summary>
    public static HttpResponse Redirect(int status, string location, IObservable<ReadOnlyMemory<byte>>? body = null)
    {
        var response = new HttpResponse(status) { Body = body ?? new TrackedBody("moved") };
        response.Headers.Set("Location", location);
        return response;
    }

    public static HttpResponse Ok(string text = "done") => new(200) { Body = new TrackedBody(text) };
}

/// <summary>A response body that says whether it was read to its end or dropped.</summary>
internal sealed class TrackedBody(byte[] bytes, int chunkSize = int.MaxValue) : IObservable<ReadOnlyMemory<byte>>
{
    public TrackedBody(string text)
        : this(Encoding.UTF8.GetBytes(text))
    {
    }

    public int Subscriptions { get; private set; }

    public bool ReadToEnd { get; private set; }

    public bool Dropped { get; private set; }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer)
    {
        Subscriptions++;
        bool dropped = false;
        var subscription = System.Reactive.Disposables.Disposable.Create(() =>
        {
            dropped = true;
            if (!ReadToEnd)
                Dropped = true;
        });
        for (int at = 0; at < bytes.Length && !dropped; at += chunkSize)
            observer.OnNext(bytes.AsMemory(at, Math.Min(chunkSize, bytes.Length - at)));
        if (!dropped)
        {
            ReadToEnd = true;
            observer.OnCompleted();
        }
        return subscription;
    }
}
