using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reactive.Linq;
using RxNet.Sockets.Specs.Interop;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Sockets.Tls;
using RxNet.Specs.Shared;
using Xunit;

namespace RxNet.Sockets.Specs.Tls;

/// <summary>
/// TLS connections torn down at every point a peer can choose: during the handshake, while reading, while writing,
/// during the close. Each connection's fate (reset, abort, half-close, dispose from another thread, and when) is drawn
/// from a seeded generator, on both sides; which of them meets a read or a write in flight is up to the threads. What
/// must hold whatever the interleaving: the process survives (no TLS session is freed while OpenSSL is inside it),
/// every connection reports <c>Closed</c>, no task exception goes unobserved, and the listener serves the next client
/// byte for byte.
/// </summary>
[Collection(OpenSslInteropRunsAlone.Collection)]
public sealed class TlsStressSpecs
{
    private const int Seed = 20261207;

    [Fact]
    [Trait("Category", "Integration")]
    public async Task TlsConnections_TornDownAtRandomPointsOnBothSides_AllCloseAndTheListenerKeepsServing()
    {
        const int Connections = 10000;
        const int InFlight = 16;
        using var server = StressServer.Start(Seed);
        var address = await server.Bound.Within();

        var random = new Random(Seed + 1);
        var plans = Enumerable.Range(0, Connections).Select(_ => ClientPlan.Draw(random)).ToArray();
        using var gate = new SemaphoreSlim(InFlight);
        var runs = plans.Select(async plan =>
        {
            await gate.WaitAsync(Bounded.Cancel);
            try
            {
                await RunClientAsync(address, plan).Within(Bounded.Long);
            }
            finally
            {
                gate.Release();
            }
        }).ToArray();
        await Task.WhenAll(runs).Within(TimeSpan.FromMinutes(4));

        await server.AllClosed(Bounded.Long);
        server.Calm();
        await AssertServesAnEchoAsync(address);
        Assert.True(server.Accepted >= Connections / 2, $"only {server.Accepted} of {Connections} handshakes reached the server");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task TlsServer_OpenSslClientsKilledAtRandomPoints_AllCloseAndTheListenerKeepsServing()
    {
        const int Clients = 150;
        const int InFlight = 6;
        Peers.Require("openssl", "openssl");
        using var directory = new TemporaryDirectory();
        TestCertificates.Ca.WritePem(directory.Path, "ca");
        using var server = StressServer.Start(Seed + 2);
        var address = await server.Bound.Within();

        var random = new Random(Seed + 3);
        var plans = Enumerable.Range(0, Clients).Select(_ => (Fate: random.Next(4), Bytes: random.Next(1, 64 * 1024))).ToArray();
        using var gate = new SemaphoreSlim(InFlight);
        var runs = plans.Select(async plan =>
        {
            await gate.WaitAsync(Bounded.Cancel);
            try
            {
                await RunOpenSslClientAsync(directory.Path, address, plan.Fate, plan.Bytes).Within(Bounded.Long);
            }
            finally
            {
                gate.Release();
            }
        }).ToArray();
        await Task.WhenAll(runs).Within(TimeSpan.FromMinutes(4));

        await server.AllClosed(Bounded.Long);
        server.Calm();
        await AssertServesAnEchoAsync(address);
        Assert.True(server.Accepted > 0, "no openssl client reached the server");
    }

    /// <summary>One client: connects (or gives up during the handshake), writes, and ends as its plan says.</summary>
    private static async Task RunClientAsync(IPEndPoint address, ClientPlan plan)
    {
        var connect = new TcpClientEndpoint("127.0.0.1", address.Port)
            .Tls(new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots }).Connect();
        if (plan.Fate == ClientFate.AbandonHandshake)
        {
            var subscription = connect.Subscribe(c => c.Dispose(), _ => { });
            await YieldAsync(plan.Yields);
            subscription.Dispose();
            return;
        }
        IConnection connection;
        try
        {
            connection = await connect.FirstWithin();
        }
        catch (Exception e) when (e is IOException or TlsAuthenticationException or ConnectionResetException)
        {
            return; // the server chose to drop this one during its handshake
        }
        var received = new InputCollector();
        using var reading = plan.Fate == ClientFate.NeverRead ? null : connection.Input.Subscribe(received);
        connection.Output.OnNext(Payload(plan.Bytes));
        switch (plan.Fate)
        {
            case ClientFate.DisposeAtOnce:
                connection.Dispose();
                break;
            case ClientFate.DisposeFromAnotherThread:
                await YieldAsync(plan.Yields);
                await Task.Run(connection.Dispose);
                break;
            case ClientFate.DisposeAfterFirstChunk:
                try
                {
                    await received.WhenReceived(1);
                }
                catch (Xunit.Sdk.FailException)
                {
                    // the server ended this connection before echoing anything: dispose it all the same
                }
                connection.Dispose();
                break;
            case ClientFate.HalfCloseAndReadToEnd:
                connection.Output.OnCompleted();
                await received.End.Within(); // the echo and the server's own end, whatever it is
                connection.Dispose();
                break;
            case ClientFate.NeverRead:
                connection.Output.OnCompleted();
                await YieldAsync(plan.Yields);
                connection.Dispose();
                break;
        }
        await connection.ClosedWithin();
    }

    /// <summary>One <c>openssl s_client</c>: killed during the handshake, after its data went out, after the echo
    /// came back, or left to close by itself at the end of its input (close_notify, then FIN).</summary>
    private static async Task RunOpenSslClientAsync(string directory, IPEndPoint address, int fate, int bytes)
    {
        var info = new ProcessStartInfo(Peers.Require("openssl", "openssl"))
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "s_client", "-connect", $"127.0.0.1:{address.Port.ToString(CultureInfo.InvariantCulture)}", "-servername", "localhost", "-CAfile", "ca.pem" },
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, Bounded.Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Bounded.Cancel);
        try
        {
            if (fate != 0)
            {
                await process.StandardInput.BaseStream.WriteAsync(Payload(bytes), Bounded.Cancel);
                await process.StandardInput.BaseStream.FlushAsync(Bounded.Cancel);
            }
            if (fate == 3)
            {
                process.StandardInput.Close(); // s_client ends its session at the end of its input
                await process.WaitForExitAsync(Bounded.Cancel).Within();
            }
        }
        catch (IOException)
        {
            // s_client went away first (the server dropped it): nothing more to do with it
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Bounded.Cancel).Within();
            await Task.WhenAll(stdout, stderr).Within();
        }
    }

    private static async Task AssertServesAnEchoAsync(IPEndPoint address)
    {
        var connection = await new TcpClientEndpoint("127.0.0.1", address.Port)
            .Tls(new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots }).Connect().FirstWithin();
        var received = new InputCollector();
        using var reading = connection.Input.Subscribe(received);
        byte[] payload = Payload(256 * 1024);
        connection.Output.OnNext(payload);
        connection.Output.OnCompleted();
        await received.End.Within();
        Assert.True(payload.AsSpan().SequenceEqual(received.Bytes()), $"the echo after the storm differs: {received.Count} of {payload.Length} bytes came back");
        await connection.ClosedWithin();
    }

    private static async Task YieldAsync(int times)
    {
        for (int i = 0; i < times; i++)
            await Task.Yield();
    }

    private static byte[] Payload(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)(i * 31 + (i >> 8));
        return bytes;
    }

    private enum ClientFate
    {
        AbandonHandshake,
        DisposeAtOnce,
        DisposeFromAnotherThread,
        DisposeAfterFirstChunk,
        HalfCloseAndReadToEnd,
        NeverRead,
    }

    private readonly record struct ClientPlan(ClientFate Fate, int Bytes, int Yields)
    {
        public static ClientPlan Draw(Random random) =>
            new((ClientFate)random.Next(6), random.Next(1, 48 * 1024), random.Next(0, 40));
    }

    /// <summary>A TLS echo listener whose connections each meet a fate drawn from a seeded generator (echo to the end,
    /// abort at once, abort after the first chunk, half-close at once, or abort from another thread) until it is calmed.</summary>
    private sealed class StressServer : IDisposable
    {
        private readonly TaskCompletionSource<IPEndPoint> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Random _random;
        private readonly object _lock = new();
        private IDisposable? _listening;
        private int _accepted;
        private readonly Dictionary<IConnection, int> _open = new(ReferenceEqualityComparer.Instance);
        private bool _calm;
        private TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private StressServer(int seed) => _random = new Random(seed);

        public Task<IPEndPoint> Bound => _bound.Task;

        public int Accepted => Volatile.Read(ref _accepted);

        public static StressServer Start(int seed)
        {
            var server = new StressServer(seed);
            server._listening = new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0))
                .Tls(new TlsServerOptions { Certificate = TestCertificates.Localhost })
                .Listen(e => server._bound.TrySetResult((IPEndPoint)e))
                .Subscribe(server.Serve);
            return server;
        }

        /// <summary>Completes once every connection accepted so far has reported <c>Closed</c>; a timeout names the
        /// connections still open with their fates.</summary>
        public async Task AllClosed(TimeSpan timeout)
        {
            Task all;
            lock (_lock)
            {
                if (_open.Count == 0)
                    return;
                all = _allClosed.Task;
            }
            try
            {
                await all.WaitAsync(timeout);
            }
            catch (TimeoutException e)
            {
                string open;
                lock (_lock)
                {
                    open = $"{_open.Count} of {_accepted} server connections never reported Closed:\n"
                        + string.Join("\n", _open.Select(c => $"{c.Key} (fate {c.Value}, {c.Key.Output.PendingBytes} bytes pending)"));
                }
                throw new TimeoutException(open, e);
            }
        }

        /// <summary>From now on every connection is echoed to its end.</summary>
        public void Calm()
        {
            lock (_lock)
                _calm = true;
        }

        public void Dispose() => _listening?.Dispose();

        private void Serve(IConnection connection)
        {
            int fate;
            lock (_lock)
            {
                fate = _calm ? 0 : _random.Next(5);
                _open.Add(connection, fate);
                _accepted++;
            }
            connection.Closed.Subscribe(_ =>
            {
                lock (_lock)
                {
                    _open.Remove(connection);
                    if (_open.Count == 0)
                    {
                        _allClosed.TrySetResult();
                        _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }
            });
            switch (fate)
            {
                case 1:
                    connection.Dispose();
                    break;
                case 2:
                    connection.Input.Take(1).Subscribe(chunk => connection.Dispose(), _ => connection.Dispose(), connection.Dispose);
                    break;
                case 3:
                    connection.Output.OnCompleted();
                    connection.Input.Subscribe(_ => { }, _ => { });
                    break;
                case 4:
                    connection.Input.Subscribe(connection.Output);
                    ThreadPool.QueueUserWorkItem(_ => connection.Dispose());
                    break;
                default:
                    connection.Input.Subscribe(connection.Output);
                    break;
            }
        }
    }

    private sealed class TemporaryDirectory : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("rxnet-tls-stress-");

        public string Path => _directory.FullName;

        public void Dispose() => _directory.Delete(recursive: true);
    }
}
