using System.Net.Security;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Sockets.Tls;
using Xunit;

namespace RxNet.Sockets.Specs.Tls;

/// <summary>
/// STARTTLS in the middle of a line protocol: the server reads plain lines through a <see cref="FrameReader"/>, and on
/// "STARTTLS" upgrades the same connection from the first byte the line reader did not use, so a client that pipelines
/// its TLS hello right behind the command (in the same packet) loses nothing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StartTlsSpecs
{
    private static readonly TlsServerOptions Server = new() { Certificate = TestCertificates.Localhost };

    [Fact]
    public async Task StartTls_ClientHelloInTheSamePacketAsTheCommand_HandshakeUsesTheBufferedBytesAndTheProtocolGoesOn()
    {
        using var server = await LoopbackServer.StartAsync();
        using var socket = await Peer.ConnectRawAsync(server.EndPoint);
        var plain = await server.NextAsync();
        var upgraded = ServeLinesThenUpgradeAsync(plain);
        await socket.SendAllAsync("EHLO rxnet\r\n"u8.ToArray());
        Assert.Equal("250 hello\r\n", Encoding.ASCII.GetString(await socket.ReadExactlyAsync("250 hello\r\n".Length)));

        // The client's first TLS write (its ClientHello) goes out in one send with the command before it.
        var stream = new PrefixedFirstWrite(new NetworkStream(socket, ownsSocket: false), "STARTTLS\r\n"u8.ToArray());
        await using var tls = new SslStream(stream);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            CertificateChainPolicy = new()
            {
                TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
                RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                CustomTrustStore = { TestCertificates.Ca },
            },
        }, Bounded.Cancel).Within();
        await tls.WriteAsync("secret line\r\n"u8.ToArray(), Bounded.Cancel).AsTask().Within();
        var reply = new byte["secret line\r\n".Length];
        await tls.ReadExactlyAsync(reply, Bounded.Cancel).AsTask().Within();

        var (firstChunk, connection) = await upgraded.Within();
        Assert.Equal("secret line\r\n", Encoding.ASCII.GetString(reply));
        Assert.StartsWith("STARTTLS\r\n\u0016", firstChunk, StringComparison.Ordinal); // the command and a TLS handshake record arrived together
        Assert.Equal("localhost", connection.Session.HostName);
    }

    [Fact]
    public async Task StartTls_BothSidesRxNet_ClientUpgradesAfterReadingTheGoAheadLine()
    {
        using var server = await LoopbackServer.StartAsync();
        var client = await Peer.ConnectAsync(server.EndPoint);
        var plain = await server.NextAsync();
        var upgraded = ServeLinesThenUpgradeAsync(plain, goAhead: true);

        using var reader = new FrameReader(client.Input);
        client.Output.OnNext("STARTTLS\r\n"u8.ToArray());
        string line = await reader.Read(new LineDecoder(LineOptions.CrLf)).Take(1).Select(l => Encoding.ASCII.GetString(l.Span)).FirstWithin();
        var tls = await client.StartTls(reader, new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots }).FirstWithin();
        using var lines = new FrameReader(tls.Input);
        tls.Output.OnNext("over tls\r\n"u8.ToArray());
        string echoed = await lines.Read(new LineDecoder(LineOptions.CrLf)).Take(1).Select(l => Encoding.ASCII.GetString(l.Span)).FirstWithin();
        tls.Output.OnCompleted();

        Assert.Equal("220 go ahead", line);
        Assert.Equal("over tls", echoed);
        var (_, serverSide) = await upgraded.Within();
        Assert.True((await tls.ClosedWithin()).IsClean);
        Assert.True((await serverSide.ClosedWithin()).IsClean);
    }

    /// <summary>The server's side of the protocol: answers EHLO, and on STARTTLS (optionally after "220 go ahead")
    /// upgrades from the reader's unused bytes and echoes lines over TLS. Returns the first plain chunk with STARTTLS in it.</summary>
    private static async Task<(string FirstChunk, ITlsConnection Connection)> ServeLinesThenUpgradeAsync(IConnection plain, bool goAhead = false)
    {
        var chunks = new List<string>();
        var input = plain.Input.Do(c =>
        {
            lock (chunks)
                chunks.Add(Encoding.Latin1.GetString(c.Span));
        });
        var reader = new FrameReader(input);
        while (true)
        {
            string line = await reader.Read(new LineDecoder(LineOptions.CrLf)).Take(1).Select(l => Encoding.ASCII.GetString(l.Span)).FirstWithin();
            if (line.StartsWith("EHLO", StringComparison.Ordinal))
            {
                plain.Output.OnNext("250 hello\r\n"u8.ToArray());
                continue;
            }
            Assert.Equal("STARTTLS", line);
            if (goAhead)
                plain.Output.OnNext("220 go ahead\r\n"u8.ToArray());
            break;
        }
        var tls = await plain.StartTls(reader, Server).FirstWithin();
        tls.Input.Subscribe(tls.Output); // echo, over TLS
        string first;
        lock (chunks)
            first = chunks.First(c => c.Contains("STARTTLS", StringComparison.Ordinal));
        return (first, tls);
    }

    /// <summary>A stream whose first write is sent in one piece with <paramref name="prefix"/> before it.</summary>
    private sealed class PrefixedFirstWrite(Stream inner, byte[] prefix) : Stream
    {
        private byte[]? _prefix = prefix;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefix is { } prefix)
            {
                _prefix = null;
                byte[] joined = [.. prefix, .. buffer.Span];
                await inner.WriteAsync(joined, cancellationToken);
                return;
            }
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
