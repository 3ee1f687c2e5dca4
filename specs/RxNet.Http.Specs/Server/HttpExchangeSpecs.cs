using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.Server;

/// <summary>The requests of a server as a stream: LINQ queries answer exchanges, exactly once, with 404 for the rest.</summary>
public sealed class HttpExchangeSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    [Fact]
    public void Requests_QueriesThatAnswerSomePaths_AnswerThoseAndTheRestGet404()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var accepted = new System.Reactive.Subjects.Subject<IConnection>();
        var requests = HttpServer.Requests(accepted, scheduler).Publish();
        requests.Where(e => e.Request.Path == "/a").Subscribe(e => e.Respond(HttpResponse.Text("A")));
        requests.Where(e => e.Request.Path == "/b").Subscribe(e => e.Respond(Observable.Return(HttpResponse.Text("B")).Delay(TimeSpan.FromSeconds(1), scheduler)));
        using var connected = requests.Connect();
        var received = new StringBuilder();
        var client = network.ConnectTo(accepted.OnNext);
        client.Input.Subscribe(c => received.Append(Encoding.ASCII.GetString(c.Span)));

        client.Output.OnNext(Encoding.ASCII.GetBytes("GET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /nobody HTTP/1.1\r\nHost: x\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
        scheduler.AdvanceBy(2000 * Ms);

        string text = received.ToString();
        int b = text.IndexOf("\r\n\r\nB", StringComparison.Ordinal), notFound = text.IndexOf("404", StringComparison.Ordinal), a = text.IndexOf("\r\n\r\nA", StringComparison.Ordinal);
        Assert.True(b > 0 && notFound > b && a > notFound, text);
    }

    [Fact]
    public void Respond_ASecondTime_ThrowsAndTheFirstAnswerStands()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var accepted = new System.Reactive.Subjects.Subject<IConnection>();
        Exception? second = null;
        using var subscription = HttpServer.Requests(accepted, scheduler).Subscribe(e =>
        {
            e.Respond(HttpResponse.Text("first"));
            second = Record.Exception(() => e.Respond(HttpResponse.Text("second")));
        });
        var received = new StringBuilder();
        var client = network.ConnectTo(accepted.OnNext);
        client.Input.Subscribe(c => received.Append(Encoding.ASCII.GetString(c.Span)));

        client.Output.OnNext(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        scheduler.AdvanceBy(10 * Ms);

        Assert.IsType<InvalidOperationException>(second);
        Assert.EndsWith("first", received.ToString(), StringComparison.Ordinal);
    }
}
