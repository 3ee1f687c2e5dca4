using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Security.Authentication;
using System.Text;
using RxNet.Sockets;
using RxNet.Sockets.Specs.Tls;
using RxNet.Sockets.Tls;

namespace RxNet.Http.Specs.Client;

/// <summary>The agent over <c>https:</c> on real sockets: TLS from the reactor's <c>tls:</c> scheme, with SNI, ALPN
/// <c>http/1.1</c> and the server's certificate checked, against the RxNet server on a <c>tls:</c> listener.</summary>
[Trait("Category", "Integration")]
public sealed class HttpAgentTlsSpecs : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly string _directory = Directory.CreateTempSubdirectory("rxnet-agent-tls-").FullName;
    private readonly SocketReactor _reactor = new();
    private readonly List<TlsSession> _sessions = [];
    private readonly IDisposable _listening;
    private readonly int _port;
    private int _requests;

    public HttpAgentTlsSpecs()
    {
        var (certificate, key) = TestCertificates.Localhost.WritePem(_directory, "localhost");
        var server = new HttpServer(request =>
        {
            Interlocked.Increment(ref _requests);
            return Observable.Return(HttpResponse.Text("secure " + request.Path));
        }, _reactor.Scheduler);
        var bound = new TaskCompletionSource<EndPoint>();
        var accepted = _reactor.ServerEndpoint($"tls:0:interface=127.0.0.1:certificate={certificate}:privateKey={key}:alpn=http/1.1")
            .Listen(bound.SetResult)
            .Do(connection =>
            {
                lock (_sessions)
                    _sessions.Add(((ITlsConnection)connection).Session);
            });
        _listening = server.Listen(accepted);
        _port = ((IPEndPoint)bound.Task.WaitAsync(Bound, TestContext.Current.CancellationToken).GetAwaiter().GetResult()).Port;
    }

    public void Dispose()
    {
        _listening.Dispose();
        _reactor.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Agent_HttpsWithTheServersRootInTheResolver_SendsSniAndAlpnAndReusesOneTlsConnection()
    {
        var (ca, _) = TestCertificates.Ca.WritePem(_directory, "ca");
        // A private CA is trusted by the endpoint string, as any tls: client endpoint: the resolver is where it goes.
        using var agent = new HttpAgent(_reactor, new HttpAgentOptions
        {
            Resolve = origin => _reactor.ClientEndpoint(
                $"tls:host=127.0.0.1:port={origin.Port}:serverName={origin.Host}:trustRoots={ca}:alpn=http/1.1"),
        });

        string first = await FetchAsync(agent, $"https://localhost:{_port}/a");
        string second = await FetchAsync(agent, $"https://localhost:{_port}/b");

        Assert.Equal("secure /a", first);
        Assert.Equal("secure /b", second);
        TlsSession session;
        lock (_sessions)
            session = Assert.Single(_sessions); // the second request went out on the first one's TLS connection
        Assert.Equal("http/1.1", session.ApplicationProtocol);
        Assert.Equal("localhost", session.HostName);
    }

    [Fact]
    public async Task Agent_HttpsToACertificateNoRootVouchesFor_FailsWithTheAuthenticationErrorBeforeAnyRequest()
    {
        // The default resolver trusts the system's roots only; the test CA is not one of them.
        using var agent = new HttpAgent(_reactor);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => FetchAsync(agent, $"https://127.0.0.1:{_port}/never"));

        Assert.True(Chain(error).Any(e => e is AuthenticationException), $"Expected an AuthenticationException inside: {error}");
        Assert.Equal(0, agent.Counters.Open);
        Assert.Equal(0, Volatile.Read(ref _requests));
    }

    private static IEnumerable<Exception> Chain(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
            yield return error;
    }

    private static async Task<string> FetchAsync(HttpAgent agent, string url)
    {
        var ct = TestContext.Current.CancellationToken;
        var response = await agent.Get(url).FirstAsync().ToTask(ct).WaitAsync(Bound, ct);
        var body = await response.Body!.Aggregate(new StringBuilder(), (text, chunk) => text.Append(Encoding.UTF8.GetString(chunk.Span)))
            .ToTask(ct).WaitAsync(Bound, ct);
        return body.ToString();
    }
}
