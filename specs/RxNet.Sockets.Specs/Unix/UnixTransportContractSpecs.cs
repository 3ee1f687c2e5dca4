using System.Threading.Channels;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Testing;
using RxNet.Testing.Contracts;
using Xunit;

namespace RxNet.Sockets.Specs.Unix;

/// <summary>The transport contract on Unix domain sockets: an RxNet server on a socket file in a fresh
/// temporary folder (one per set of connection options) and RxNet clients connecting to it.</summary>
[Trait("Category", "Integration")]
public sealed class UnixTransportContractSpecs : RealTimeTransportContract
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rxnet-unix-").FullName;
    private readonly Dictionary<ConnectionOptions, (string Path, IDisposable Listener, Channel<IConnection> Accepted)> _servers = [];

    /// <summary>A Unix socket has no reset: an aborted peer is seen as the end of the stream.</summary>
    protected override bool PeerSeesAborts => false;

    protected override async Task<ConnectionPair> ConnectAsync(ConnectionOptions options)
    {
        var tcp = new TcpOptions { Connection = options };
        if (!_servers.TryGetValue(options, out var server))
        {
            string path = Path.Combine(_folder, $"s{_servers.Count}.sock");
            var accepted = Channel.CreateUnbounded<IConnection>();
            var listener = new UnixServerEndpoint(path, options: tcp).Listen()
                .Subscribe(c => accepted.Writer.TryWrite(c), e => accepted.Writer.TryComplete(e));
            _servers.Add(options, server = (path, listener, accepted));
        }
        // Connections are made one at a time, so the next accepted one is this client's.
        var client = await RunUntilAsync(new UnixClientEndpoint(server.Path, tcp).Connect(), "the client connected");
        var peer = await server.Accepted.Reader.ReadAsync(Bounded.Cancel).AsTask().Within();
        return new ConnectionPair(client, peer);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        foreach (var server in _servers.Values)
            server.Listener.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
