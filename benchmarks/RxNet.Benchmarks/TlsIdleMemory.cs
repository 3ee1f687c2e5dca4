using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RxNet.Sockets;
using RxNet.Sockets.Tls;

namespace RxNet.Benchmarks;

/// <summary>
/// Idle memory per server connection, TLS against plain TCP: this process runs an RxNet echo server (plain, then TLS
/// with a P-256 certificate made here), a child process (this program again, <c>--idle-clients</c>) opens N connections
/// to it (finishing the TLS handshake) and then sends nothing. The server's managed heap after a full collection, and
/// its working set, are compared with those before the clients came; the difference divided by N is the cost of one
/// idle connection on the server.
/// </summary>
internal static class TlsIdleMemory
{
    public static int Run(int count)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pkcs12), null);

        var plain = Measure(count, tls: null);
        Thumbprint = certificate.GetCertHashString();
        var tls = Measure(count, new TlsServerOptions { Certificate = certificate });
        Console.WriteLine($"idle connections: {count}");
        Console.WriteLine($"plain TCP: {plain.Heap:0} B managed heap, {plain.WorkingSet:0} B working set per connection");
        Console.WriteLine($"TLS:       {tls.Heap:0} B managed heap, {tls.WorkingSet:0} B working set per connection");
        Console.WriteLine($"TLS costs: {tls.Heap - plain.Heap:0} B managed heap, {tls.WorkingSet - plain.WorkingSet:0} B working set more per connection");
        Console.WriteLine(OpenSslBytes is null
            ? "OpenSSL's own allocations: not counted (run with DOTNET_OPENSSL_MEMORY_DEBUG=1 to count them)"
            : $"OpenSSL's own allocations: {tls.OpenSsl:0} B per TLS connection (plain TCP: {plain.OpenSsl:0} B)");
        return 0;
    }

    /// <summary>The child's part: connects <paramref name="count"/> clients, handshakes (pinning the server's certificate) if a thumbprint is given,
    /// prints "ready" and holds them until its standard input closes.</summary>
    public static int Clients(int port, int count, string? pinnedThumbprint)
    {
        var held = new List<IDisposable>();
        for (int i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            held.Add(socket);
            if (pinnedThumbprint is not null)
            {
                var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
                ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    string.Equals(certificate?.GetCertHashString(), pinnedThumbprint, StringComparison.OrdinalIgnoreCase) });
                held.Add(ssl);
            }
        }
        Console.WriteLine("ready");
        Console.In.ReadToEnd();
        foreach (var item in held)
            item.Dispose();
        return 0;
    }

    private static string? Thumbprint { get; set; }

    /// <summary>Bytes OpenSSL has allocated, from the runtime's own counter (an undocumented diagnostic of System.Security.Cryptography,
    /// on only when DOTNET_OPENSSL_MEMORY_DEBUG=1 was set before the process started); null otherwise.</summary>
    private static readonly Func<long>? OpenSslBytes = FindOpenSslCounter();

    private static Func<long>? FindOpenSslCounter()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_OPENSSL_MEMORY_DEBUG") != "1")
            return null;
        var method = typeof(ECDsa).Assembly.GetType("Interop+Crypto")?.GetMethod("GetOpenSslAllocatedMemory",
            System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic);
        return method is null ? null : () => Convert.ToInt64(method.Invoke(null, null), CultureInfo.InvariantCulture);
    }

    private static (double Heap, double WorkingSet, double OpenSsl) Measure(int count, TlsServerOptions? tls)
    {
        var accepted = new List<IConnection>();
        int handshaken = 0;
        IServerEndpoint endpoint = new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0));
        if (tls is not null)
            endpoint = endpoint.Tls(tls);
        int port = 0;
        using var listening = endpoint.Listen(e => port = ((IPEndPoint)e).Port).Subscribe(c =>
        {
            c.Input.Subscribe(c.Output); // an echo server, reading (idle: waiting for data)
            lock (accepted)
                accepted.Add(c);
            Interlocked.Increment(ref handshaken);
        });
        var (heapBefore, setBefore) = Snapshot();
        long sslBefore = OpenSslBytes?.Invoke() ?? 0;

        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            info.ArgumentList.Add(typeof(TlsIdleMemory).Assembly.Location);
        foreach (string argument in new[] { "--idle-clients", port.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture), tls is null ? "plain" : Thumbprint! })
            info.ArgumentList.Add(argument);
        using var clients = Process.Start(info)!;
        try
        {
            if (clients.StandardOutput.ReadLine() != "ready")
                throw new InvalidOperationException("The client process failed.");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Volatile.Read(ref handshaken) < count && DateTime.UtcNow < deadline)
                Thread.Sleep(10);
            Thread.Sleep(500); // let the last handshakes' continuations finish
            var (heapAfter, setAfter) = Snapshot();
            long sslAfter = OpenSslBytes?.Invoke() ?? 0;
            return ((heapAfter - heapBefore) / (double)count, (setAfter - setBefore) / (double)count, (sslAfter - sslBefore) / (double)count);
        }
        finally
        {
            clients.StandardInput.Close();
            if (!clients.WaitForExit(10_000))
                clients.Kill();
            lock (accepted)
            {
                foreach (var connection in accepted)
                    connection.Dispose();
            }
        }
    }

    private static (long Heap, long WorkingSet) Snapshot()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), self.WorkingSet64);
    }
}
