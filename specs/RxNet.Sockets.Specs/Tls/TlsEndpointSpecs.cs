using System.Net;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Reactive.Testing;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Sockets.Tls;
using RxNet.Testing;
using Xunit;

namespace RxNet.Sockets.Specs.Tls;

/// <summary>TLS endpoints end to end: a listener that survives bad clients, the client's default server name, optional
/// client certificates, and handshakes abandoned or fed garbage.</summary>
public sealed class TlsEndpointSpecs
{
    [Fact]
    [Trait("Category", "Integration")]
    public async Task Listener_DisposedWithAHandshakeInFlight_ClosesThatConnection()
    {
        var accepted = new TaskCompletionSource<IConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var underneath = new Watched(new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0)), accepted);
        var endpoint = new TlsServerEndpoint(underneath, new TlsServerOptions { Certificate = TestCertificates.Localhost });
        int handedOut = 0;
        var listening = endpoint.Listen(bound.SetResult).Subscribe(_ => Interlocked.Increment(ref handedOut));
        var address = (IPEndPoint)await bound.Task.Within();

        using var silent = await Peer.ConnectRawAsync(address); // never sends a ClientHello
        var connection = await accepted.Task.Within();
        listening.Dispose();

        var closed = await connection.ClosedWithin();
        Assert.Equal(ConnectionCloseReason.Aborted, closed.Reason);
        Assert.Equal(0, Volatile.Read(ref handedOut)); // the client sent nothing, so no handshake could finish
    }

    /// <summary>A server endpoint that hands each accepted connection to the spec before the TLS layer gets it.</summary>
    private sealed class Watched(IServerEndpoint inner, TaskCompletionSource<IConnection> accepted) : IServerEndpoint
    {
        public IObservable<IConnection> Listen(Action<EndPoint>? onListening = null) =>
            inner.Listen(onListening).Do(connection => accepted.TrySetResult(connection));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Listener_AClientSendsGarbage_ItIsDroppedAndLoggedWhileTheNextIsServed()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var endpoint = new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0))
            .Tls(new TlsServerOptions { Certificate = TestCertificates.Localhost, LoggerFactory = loggerFactory });
        using var listening = endpoint.Listen(bound.SetResult).Subscribe(c => c.Input.Subscribe(c.Output));
        var address = (IPEndPoint)await bound.Task.Within();

        using (var garbage = await Peer.ConnectRawAsync(address))
        {
            await garbage.SendAllAsync("GET / HTTP/1.1\r\nHost: nope\r\n\r\n"u8.ToArray());
            try
            {
                await garbage.ReadToEndAsync(); // until the server drops it
            }
            catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionReset)
            {
                // dropped with a reset: as expected
            }
        }
        var client = await new TcpClientEndpoint("127.0.0.1", address.Port)
            .Tls(new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots }).Connect().FirstWithin();
        var received = new InputCollector();
        using var reading = client.Input.Subscribe(received);
        client.Output.OnNext("still served"u8.ToArray());
        await received.WhenReceived(12);

        Assert.Equal("still served", Encoding.ASCII.GetString(received.Bytes()));
        var refusal = Assert.Single(logs.GetSnapshot(), r => r.Message.Contains("TLS handshake with", StringComparison.Ordinal));
        Assert.Contains("refused (Handshake)", refusal.Message, StringComparison.Ordinal);
        client.Dispose();
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task ClientEndpoint_WithoutServerName_ChecksTheHostItConnectsTo()
    {
        using var server = await LoopbackServer.StartAsync();
        var serving = ServeAsync();

        var client = (ITlsConnection)await new TcpClientEndpoint("localhost", server.Port)
            .Tls(new TlsClientOptions { TrustRoots = TestCertificates.Roots }).Connect().FirstWithin();

        Assert.Equal("localhost", client.Session.HostName);
        Assert.Equal("localhost", (await serving.Within()).Session.HostName);
        client.Dispose();

        async Task<ITlsConnection> ServeAsync() =>
            await (await server.NextAsync()).StartTls(new TlsServerOptions { Certificate = TestCertificates.Localhost }).FirstWithin();
    }

    [Fact]
    public void ClientCertificateOptional_ClientWithout_IsAcceptedAndHasNoCertificate()
    {
        var (scheduler, pair) = Simulated();
        ITlsConnection? server = null, client = null;

        using var serving = pair.Server.StartTls(new TlsServerOptions
        {
            Certificate = TestCertificates.Localhost,
            ClientCertificate = ClientCertificateMode.Optional,
            ClientTrustRoots = TestCertificates.Roots,
            Scheduler = scheduler,
        }).Subscribe(c => server = c);
        using var connecting = pair.Client.StartTls(Client(scheduler)).Subscribe(c => client = c);
        scheduler.Start();

        Assert.NotNull(client);
        Assert.NotNull(server);
        Assert.Null(server.Session.RemoteCertificate);
        Assert.Equal("CN=localhost", client.Session.RemoteCertificate?.Subject);
    }

    [Fact]
    public void ClientCertificateRequired_ClientWithOne_IsSeenByTheServer()
    {
        var (scheduler, pair) = Simulated();
        ITlsConnection? server = null;

        using var serving = pair.Server.StartTls(new TlsServerOptions
        {
            Certificate = TestCertificates.Localhost,
            ClientCertificate = ClientCertificateMode.Required,
            ClientTrustRoots = TestCertificates.Roots,
            Scheduler = scheduler,
        }).Subscribe(c => server = c);
        using var connecting = pair.Client.StartTls(Client(scheduler) with { Certificate = TestCertificates.Client }).Subscribe(_ => { });
        scheduler.Start();

        Assert.Equal("CN=rxnet client", server?.Session.RemoteCertificate?.Subject);
    }

    [Fact]
    public void StartTls_PeerSendsSomethingElse_FailsWithAHandshakeErrorAndResetsTheConnection()
    {
        var (scheduler, pair) = Simulated();
        Exception? error = null;
        var peerEnd = new List<Exception?>();
        using var serving = pair.Server.StartTls(new TlsServerOptions { Certificate = TestCertificates.Localhost, Scheduler = scheduler })
            .Subscribe(_ => { }, e => error = e);
        using var peer = pair.Client.Input.Subscribe(_ => { }, e => peerEnd.Add(e), () => peerEnd.Add(null));

        pair.Client.Output.OnNext("EHLO not tls at all\r\n"u8.ToArray());
        scheduler.Start();

        var handshake = Assert.IsType<TlsAuthenticationException>(error);
        Assert.Equal(TlsFailure.Handshake, handshake.Failure);
        Assert.IsType<ConnectionResetException>(Assert.Single(peerEnd));
    }

    [Fact]
    public void StartTls_UnsubscribedBeforeTheHandshakeEnds_ResetsTheConnection()
    {
        var (scheduler, pair) = Simulated();
        var serverEnd = new List<Exception?>();
        using var serverReading = pair.Server.Input.Subscribe(_ => { }, e => serverEnd.Add(e), () => serverEnd.Add(null));
        ConnectionClosed? clientClosed = null;
        using var watching = pair.Client.Closed.Subscribe(c => clientClosed = c);
        var connecting = pair.Client.StartTls(Client(scheduler)).Subscribe(_ => Assert.Fail("no handshake can finish: nobody answers"));
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1).Ticks);

        connecting.Dispose();
        scheduler.Start();

        Assert.IsType<ConnectionResetException>(Assert.Single(serverEnd));
        Assert.Equal(ConnectionCloseReason.Aborted, clientClosed?.Reason);
    }

    private static (TestScheduler Scheduler, ConnectionPair Pair) Simulated()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler, seed: 5);
        network.Link("client", "server", LinkOptions.Default);
        return (scheduler, network.ConnectPair());
    }

    private static TlsClientOptions Client(TestScheduler scheduler) =>
        new() { ServerName = "localhost", TrustRoots = TestCertificates.Roots, Scheduler = scheduler };
}
