using System.Diagnostics.Metrics;
using System.Net;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RxNet.Internal;
using RxNet.Transport;

namespace RxNet;

/// <summary>
/// Counts open connections, in total and per peer, and admits a new one only below both limits:
/// Twisted's <c>LimitTotalConnectionsFactory</c> and <c>LimitConnectionsByPeer</c> in one object. Apply it to a
/// listener with <see cref="ConnectionLimitExtensions.LimitConnections(IObservable{IConnection}, ConnectionLimiter, Action{IConnection}?)"/>,
/// or call <see cref="TryAdmit"/> yourself.
/// </summary>
/// <remarks>
/// <para>An admitted connection holds its slot until its <see cref="IConnection.Closed"/> emits (both
/// directions finished and the socket released, as Twisted's <c>connectionLost</c>). One limiter may serve
/// several listeners; the counts are then shared, as a Twisted factory shared by several ports.</para>
/// <para>Thread-safe. <see cref="Events"/> are emitted in order, under the limiter's lock: observers must
/// be quick and must not block (hand the event to a metrics instrument or a logger).</para>
/// </remarks>
#pragma warning disable CA1001 // the subject holds no unmanaged state; the limiter lives as long as its listeners
public sealed class ConnectionLimiter
#pragma warning restore CA1001
{
    /// <summary>Twisted's <c>LimitConnectionsByPeer.maxConnectionsPerPeer</c>: 5.</summary>
    public const int DefaultMaxConnectionsPerPeer = 5;

    private readonly object _gate = new();
    private readonly Dictionary<string, int> _perPeer = new(StringComparer.Ordinal);
    private readonly Subject<ConnectionLimitEvent> _events = new();
    private readonly Func<EndPoint?, string> _peerKey;
    private int _open;
    private long _admitted;
    private long _refused;
    private readonly ConnectionMetrics _metrics;

    /// <summary>Creates a limiter.</summary>
    /// <param name="maxConnections">The most connections open at once, from all peers; unlimited by default
    /// (Twisted's <c>connectionLimit = None</c>).</param>
    /// <param name="maxConnectionsPerPeer">The most connections open at once from one peer; 5 by default
    /// (<see cref="DefaultMaxConnectionsPerPeer"/>).</param>
    /// <param name="peerKey">Which peer a remote address belongs to; <see cref="DefaultPeerKey"/> (the address
    /// <param name="meterFactory">Where refusals are counted as <see cref="RxNetMetrics.ConnectionsRefused"/>
    /// (tagged <c>total_limit</c> or <c>peer_limit</c>), or <see langword="null"/> for the process-wide meter.</param>
    /// without the port) when omitted. Use it to count by subnet, say.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is below 1.</exception>
    public ConnectionLimiter(int maxConnections = int.MaxValue, int maxConnectionsPerPeer = DefaultMaxConnectionsPerPeer, Func<EndPoint?, string>? peerKey = null, IMeterFactory? meterFactory = null)
    {
        _metrics = ConnectionMetrics.For(meterFactory);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnectionsPerPeer, 1);
        MaxConnections = maxConnections;
        MaxConnectionsPerPeer = maxConnectionsPerPeer;
        _peerKey = peerKey ?? DefaultPeerKey;
    }

    /// <summary>The most connections open at once, from all peers.</summary>
    public int MaxConnections { get; }

    /// <summary>The most connections open at once from one peer.</summary>
    public int MaxConnectionsPerPeer { get; }

    /// <summary>Connections admitted and not yet closed.</summary>
    public int OpenConnections
    {
        get
        {
            lock (_gate)
                return _open;
        }
    }

    /// <summary>Connections admitted so far.</summary>
    public long Admitted => Interlocked.Read(ref _admitted);

    /// <summary>Connections refused so far (either limit).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>
    /// Every admission, refusal and release, with the counts after it; hot: only what happens after
    /// subscribing. The hook for metrics (<c>System.Diagnostics.Metrics</c>) and logs.
    /// </summary>
    public IObservable<ConnectionLimitEvent> Events => _events.AsObservable();

    /// <summary>The default peer key: an IP address without the port (IPv4-mapped IPv6 addresses as IPv4),
    /// a host name (lower-cased) without the port, any other address as text, and the empty string for none.</summary>
    /// <param name="peer">A remote address.</param>
    /// <returns>The key connections from the same peer share.</returns>
    public static string DefaultPeerKey(EndPoint? peer) => peer switch
    {
        null => "",
        IPEndPoint ip => (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).ToString(),
        DnsEndPoint dns => dns.Host.ToLowerInvariant(),
        _ => peer.ToString() ?? "",
    };

    /// <summary>Connections from <paramref name="peer"/>'s key admitted and not yet closed.</summary>
    /// <param name="peer">A remote address (any port of that peer gives the same answer).</param>
    /// <returns>The count.</returns>
    public int OpenConnectionsFrom(EndPoint? peer)
    {
        string key = _peerKey(peer);
        lock (_gate)
            return _perPeer.GetValueOrDefault(key);
    }

    /// <summary>
    /// Admits <paramref name="connection"/> if both limits allow it; it then counts until its
    /// <see cref="IConnection.Closed"/> emits. A refusal is counted; what to do with the refused connection is the
    /// caller's (the listener operator aborts it).
    /// </summary>
    /// <param name="connection">A connection just accepted.</param>
    /// <returns>Whether it was admitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    public bool TryAdmit(IConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var peer = connection.RemoteEndPoint;
        string key = _peerKey(peer);
        lock (_gate)
        {
            int fromPeer = _perPeer.GetValueOrDefault(key);
            var refusal = _open >= MaxConnections ? ConnectionLimitEventKind.RefusedTotal
                : fromPeer >= MaxConnectionsPerPeer ? ConnectionLimitEventKind.RefusedPerPeer
                : ConnectionLimitEventKind.Admitted;
            if (refusal != ConnectionLimitEventKind.Admitted)
            {
                Interlocked.Increment(ref _refused);
                _metrics.Refused(refusal == ConnectionLimitEventKind.RefusedTotal ? "total_limit" : "peer_limit");
                _events.OnNext(new ConnectionLimitEvent(refusal, peer, key, _open, fromPeer));
                return false;
            }
            _open++;
            _perPeer[key] = ++fromPeer;
            Interlocked.Increment(ref _admitted);
            _events.OnNext(new ConnectionLimitEvent(ConnectionLimitEventKind.Admitted, peer, key, _open, fromPeer));
        }
        // Closed replays: a connection that closed already frees its slot at once.
        connection.Closed.Subscribe(_ => Release(peer, key));
        return true;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        lock (_gate)
            return $"{_open} open of {MaxConnections} ({MaxConnectionsPerPeer} per peer), {Admitted} admitted, {Refused} refused";
    }

    private void Release(EndPoint? peer, string key)
    {
        lock (_gate)
        {
            _open--;
            int fromPeer = _perPeer[key] - 1;
            if (fromPeer == 0)
                _perPeer.Remove(key);
            else
                _perPeer[key] = fromPeer;
            _events.OnNext(new ConnectionLimitEvent(ConnectionLimitEventKind.Released, peer, key, _open, fromPeer));
        }
    }
}
