using Microsoft.Extensions.Logging;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Sockets.Tls;
using RxNet.Testing;
using Xunit;

namespace RxNet.Sockets.Specs.Tls;

/// <summary>
/// TLS in virtual time: with the network's <see cref="TestScheduler"/> as the options' scheduler, the handshake and
/// every record take exact virtual ticks, so round trips can be counted and timeouts checked without waiting.
/// </summary>
/// <remarks>Each step the TLS layer schedules (resuming a read or write of SslStream) runs at the scheduler's "now",
/// which a <see cref="TestScheduler"/> makes one tick (100 ns) later: a TLS exchange costs the link's latencies plus a
/// few ticks, the same few every run.</remarks>
public sealed class TlsVirtualTimeSpecs
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void Handshake_OnALinkOf10Ms_ClientIsDoneAfterOneRoundTripAndServerHalfARoundTripLater()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler, seed: 1);
        network.Link("client", "server", new LinkOptions { Latency = Latency });
        var pair = network.ConnectPair();
        long start = scheduler.Clock;
        long? clientDone = null, serverDone = null;

        using var serving = pair.Server.StartTls(new TlsServerOptions { Certificate = TestCertificates.Localhost, Scheduler = scheduler })
            .Subscribe(_ => serverDone = scheduler.Clock);
        using var connecting = pair.Client.StartTls(new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots, Scheduler = scheduler })
            .Subscribe(_ => clientDone = scheduler.Clock);
        scheduler.Start();

        // TLS 1.3: ClientHello out, the server's whole flight back (one round trip); the client's Finished reaches the
        // server half a round trip later.
        Assert.Equal(2 * Latency.Ticks + 2, clientDone - start);
        Assert.Equal(3 * Latency.Ticks + 3, serverDone - start);
    }

    [Fact]
    public void Echo_InVirtualTime_ArrivesOneRoundTripAfterTheWrite()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler, seed: 2);
        network.Link("client", "server", new LinkOptions { Latency = Latency });
        var pair = network.ConnectPair();
        ITlsConnection? client = null;
        using var serving = pair.Server.StartTls(new TlsServerOptions { Certificate = TestCertificates.Localhost, Scheduler = scheduler })
            .Subscribe(server => server.Input.Subscribe(server.Output));
        using var connecting = pair.Client.StartTls(new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots, Scheduler = scheduler })
            .Subscribe(c => client = c);
        scheduler.Start();
        var received = new List<(long Tick, string Text)>();
        using var reading = client!.Input.Subscribe(chunk => received.Add((scheduler.Clock, Encoding.UTF8.GetString(chunk.Span))));
        long sent = scheduler.Clock;

        client.Output.OnNext("ping"u8.ToArray());
        scheduler.Start();

        Assert.Equal([(sent + 2 * Latency.Ticks + 3, "ping")], received);
    }

    [Fact]
    public void Handshake_ServerNeverAnswers_FailsWithTimeoutAtExactlyTheHandshakeTimeout()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler, seed: 3);
        network.Link("client", "server", new LinkOptions { Latency = Latency });
        var pair = network.ConnectPair(); // nobody runs TLS on the server's end
        long start = scheduler.Clock;
        Exception? error = null;
        long failedAt = 0;

        using var connecting = pair.Client.StartTls(new TlsClientOptions
        {
            ServerName = "localhost",
            TrustRoots = TestCertificates.Roots,
            Scheduler = scheduler,
            HandshakeTimeout = TimeSpan.FromSeconds(5),
        }).Subscribe(_ => { }, e => (error, failedAt) = (e, scheduler.Clock));
        scheduler.Start();

        var timeout = Assert.IsType<TlsAuthenticationException>(error);
        Assert.Equal(TlsFailure.Timeout, timeout.Failure);
        Assert.Equal(TimeSpan.FromSeconds(5).Ticks, failedAt - start);
    }

    [Fact]
    public void Input_ConnectionUnderneathCannotPauseAndNobodyReads_AbortsAtOneMebibyteInsteadOfGrowing()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler, seed: 4);
        network.Link("client", "server", new LinkOptions { Latency = Latency });
        var pair = network.ConnectPair();
        ITlsConnection? client = null, server = null;
        using var serving = new UnpausableInput(pair.Server).StartTls(new TlsServerOptions { Certificate = TestCertificates.Localhost, Scheduler = scheduler })
            .Subscribe(s => server = s); // never reads its input
        using var connecting = pair.Client.StartTls(new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots, Scheduler = scheduler })
            .Subscribe(c => client = c);
        scheduler.Start();
        var serverClosed = server!.Closed.Record(scheduler);

        var block = new byte[64 * 1024];
        for (int i = 0; i < 32; i++) // 2 MiB, twice the bound
            client!.Output.OnNext(block);
        scheduler.Start();

        var closed = Assert.Single(serverClosed.Messages.Where(m => m.Value.Kind == System.Reactive.NotificationKind.OnNext)).Value.Value;
        Assert.Equal(ConnectionCloseReason.Aborted, closed.Reason);
        var overflow = Assert.IsType<InputOverflowException>(closed.Error);
        Assert.Equal(1048576, overflow.Limit);
        Assert.Contains("at most 1048576 are held", overflow.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_WriteAfterCompletion_IsIgnoredCountedAndLoggedAsOnEveryTransport()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler, seed: 5);
        var pair = network.ConnectPair();
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        using var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(logs)));
        ITlsConnection? client = null;
        var received = new List<string>();
        using var serving = pair.Server.StartTls(new TlsServerOptions { Certificate = TestCertificates.Localhost, Scheduler = scheduler })
            .Subscribe(server => server.Input.Subscribe(chunk => received.Add(Encoding.UTF8.GetString(chunk.Span))));
        using var connecting = pair.Client.StartTls(new TlsClientOptions
        {
            ServerName = "localhost", TrustRoots = TestCertificates.Roots, Scheduler = scheduler, LoggerFactory = loggerFactory,
        }).Subscribe(c => client = c);
        scheduler.Start();

        client!.Output.OnNext("last"u8.ToArray());
        client.Output.OnCompleted();
        client.Output.OnNext("too late"u8.ToArray());
        scheduler.Start();

        Assert.Equal(["last"], received);
        var record = Assert.Single(logs.GetSnapshot(), r => r.Message.Contains("after the output", StringComparison.Ordinal));
        Assert.Contains("Write of 8 bytes", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_FirstReadAfterTheConnectionUnderneathClosedCleanly_StillGetsWhatThePeerSentThenCompletes()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler, seed: 6);
        network.Link("client", "server", new LinkOptions { Latency = Latency });
        var pair = network.ConnectPair();
        ITlsConnection? client = null;
        using var serving = pair.Server.StartTls(new TlsServerOptions { Certificate = TestCertificates.Localhost, Scheduler = scheduler })
            .Subscribe(server =>
            {
                server.Output.OnNext("last words"u8.ToArray());
                server.Output.OnCompleted(); // close_notify, then FIN
                server.Input.Subscribe(_ => { }, _ => { }); // reads the client's close_notify and FIN
            });
        using var connecting = pair.Client.StartTls(new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots, Scheduler = scheduler })
            .Subscribe(c => client = c);
        scheduler.Start();
        ConnectionClosed? closed = null;
        using var watching = client!.Closed.Subscribe(c => closed = c);

        client.Output.OnCompleted(); // both directions underneath are now finished, and nothing was read at the TLS level
        scheduler.Start();
        Assert.True(closed?.IsClean, $"Closed: {closed}");
        var received = new List<string>();
        bool completed = false;
        Exception? error = null;
        using var reading = client.Input.Subscribe(chunk => received.Add(Encoding.UTF8.GetString(chunk.Span)), e => error = e, () => completed = true);
        scheduler.Start();

        Assert.Null(error);
        Assert.Equal(["last words"], received);
        Assert.True(completed);
    }

    /// <summary>A connection whose input is a plain observable, adapted: it cannot be paused, as a user's own transport may not.</summary>
    private sealed class UnpausableInput(IConnection inner) : IConnection
    {
        public IConnectionInput Input { get; } = inner.Input.Select(chunk => chunk).ToConnectionInput();

        public IConnectionOutput Output => inner.Output;

        public System.Net.EndPoint? LocalEndPoint => inner.LocalEndPoint;

        public System.Net.EndPoint? RemoteEndPoint => inner.RemoteEndPoint;

        public IObservable<ConnectionClosed> Closed => inner.Closed;

        public void Dispose() => inner.Dispose();

        public void Close() => inner.Close();
    }
}
