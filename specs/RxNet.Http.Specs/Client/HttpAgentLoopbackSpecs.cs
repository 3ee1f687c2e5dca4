using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using RxNet.Http.Specs.Server;
using RxNet.Sockets;

namespace RxNet.Http.Specs.Client;

[Trait("Category", "Integration")]
public sealed class HttpAgentLoopbackSpecs
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static async Task<(HttpResponse Response, string Body)> Fetch(HttpAgent agent, HttpRequest request)
    {
        var ct = TestContext.Current.CancellationToken;
        var response = await agent.Send(request).FirstAsync().ToTask(ct).WaitAsync(Bound, ct);
        var body = await response.Body!.Aggregate(new StringBuilder(), (text, chunk) => text.Append(Encoding.UTF8.GetString(chunk.Span)))
            .ToTask(ct).WaitAsync(Bound, ct);
        return (response, body.ToString());
    }

    [Fact]
    public async Task Agent_OverRealTcp_ReusesOneConnectionAndStreamsBodiesBothWays()
    {
        using var server = new LoopbackHttpServer(Bound);
        using var reactor = new SocketReactor();
        using var agent = new HttpAgent(reactor);

        var (first, firstBody) = await Fetch(agent, new HttpRequest("GET", server.Url("/a")));
        var (_, secondBody) = await Fetch(agent, new HttpRequest("GET", server.Url("/b")));
        Assert.Equal(200, first.StatusCode);
        Assert.Equal("hello /a", firstBody);
        Assert.Equal("hello /b", secondBody);
        Assert.Equal(1, agent.Counters.Open); // the second request went out on the first one's connection

        string payload = new('z', 200_000);
        var upload = Observable.Range(0, 200).Select(i => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(payload.Substring(i * 1000, 1000)));
        var (echo, echoed) = await Fetch(agent, new HttpRequest("POST", server.Url("/echo"), body: upload));
        Assert.Null(echo.ContentLength); // sent chunked, echoed chunked
        Assert.Equal(payload, echoed);
        Assert.Equal(1, agent.Counters.Open);
    }
}
