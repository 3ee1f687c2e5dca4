using System.Net;
using System.Reactive.Concurrency;
using RxNet.Testing.Contracts;

namespace RxNet.Specs.Policies;

/// <summary>
/// The transport contract on connections wrapped by a policy: each wrapper must keep every rule of the
/// connection it wraps (unicast, pausable input, flow control, <c>Writable</c>, <c>PendingBytes</c>,
/// half-close, resets, close reasons), so the whole suite runs over wrapped pairs on the default link.
/// </summary>
public abstract class PolicyTransportContract(Func<IConnection, IScheduler, IConnection> wrap, LinkOptions? link = null, int seed = 0)
    : SimulatedTransportContract(link ?? LinkOptions.Default, seed)
{
    protected override async Task<ConnectionPair> ConnectAsync(ConnectionOptions options)
    {
        var pair = await base.ConnectAsync(options);
        return new ConnectionPair(wrap(pair.Client, Scheduler), wrap(pair.Server, Scheduler));
    }
}

/// <summary>The contract over <c>IdleTimeout</c>. Its timer runs on a clock of its own that never moves: the
/// suite lets the world settle (run until nothing is left) while nobody reads, which in virtual time is any
/// length of idleness, so a running timer would rightly close those connections. The timer's own behaviour
/// is <see cref="IdleTimeoutSpecs"/>'s.</summary>
public sealed class IdleTimeoutTransportContractSpecs() : PolicyTransportContract(
    static (connection, _) => connection.IdleTimeout(TimeSpan.FromSeconds(30), new Microsoft.Reactive.Testing.TestScheduler()));

/// <summary>The contract over <c>Throttle</c> at 10 MB/s both ways: every chunk is paced in slices.</summary>
public sealed class ThrottleTransportContractSpecs() : PolicyTransportContract(
    static (connection, scheduler) => connection.Throttle(10_000_000, 10_000_000, scheduler));

/// <summary>The contract over <c>Throttle</c> that paces only the input (10 MB/s): the unlimited output passes each
/// write on at once, and still pauses the input an echo feeds.</summary>
public sealed class ThrottleReadOnlyTransportContractSpecs() : PolicyTransportContract(
    static (connection, scheduler) => connection.Throttle(10_000_000, 0, scheduler));

/// <summary>The contract over <c>Throttle</c> at 300 kB/s both ways on a slow link (20 ms latency, 1 MB/s, random
/// segments of up to 1500 bytes): pacing, stalls behind a full receive window and re-chunking all at once.</summary>
public sealed class ThrottleOnASlowLinkTransportContractSpecs() : PolicyTransportContract(
    static (connection, scheduler) => connection.Throttle(300_000, 300_000, scheduler),
    new LinkOptions { Latency = TimeSpan.FromMilliseconds(20), BytesPerSecond = 1_000_000, MaxSegmentSize = 1500 }, seed: 13);

/// <summary>The contract over <c>LogTraffic</c> (to a writer that drops everything).</summary>
public sealed class TrafficLogTransportContractSpecs() : PolicyTransportContract(
    static (connection, _) => connection.LogTraffic(TextWriter.Null));

/// <summary>The contract over connections that read a PROXY header (each end sends one naming itself as the source,
/// then reads the other's), so both ends of every pair are proxied connections whose input resumes after the header
/// and whose endpoints, taken from the headers, still name each other.</summary>
public abstract class ProxyProtocolTransportContract(Func<IPEndPoint, IPEndPoint, ProxyHeader> header, IPEndPoint clientAddress, IPEndPoint serverAddress,
    LinkOptions? link = null, int seed = 0)
    : SimulatedTransportContract(link ?? LinkOptions.Default, seed)
{
    protected override async Task<ConnectionPair> ConnectAsync(ConnectionOptions options)
    {
        var pair = await base.ConnectAsync(options);
        pair.Client.SendProxyHeader(header(clientAddress, serverAddress));
        pair.Server.SendProxyHeader(header(serverAddress, clientAddress));
        var client = await RunUntilAsync(pair.Client.ReadProxyHeader(Scheduler), "the server's header was read");
        var server = await RunUntilAsync(pair.Server.ReadProxyHeader(Scheduler), "the client's header was read");
        return new ConnectionPair(client, server);
    }
}

/// <summary>The contract over version 1 headers (TCP4).</summary>
public sealed class ProxyProtocolV1TransportContractSpecs() : ProxyProtocolTransportContract(
    static (source, destination) => ProxyHeader.V1(source, destination),
    new IPEndPoint(IPAddress.Parse("203.0.113.7"), 51234), new IPEndPoint(IPAddress.Parse("198.51.100.1"), 443));

/// <summary>The contract over version 2 headers (IPv6 with a TLV) on a link that cuts everything into pieces of up to 7
/// bytes, so headers arrive in pieces and the first bytes after them may share their last piece.</summary>
public sealed class ProxyProtocolV2OnASplittingLinkTransportContractSpecs() : ProxyProtocolTransportContract(
    static (source, destination) => ProxyHeader.V2(source, destination, tlvs: [new ProxyTlv(ProxyTlv.Authority, "example.com"u8.ToArray())]),
    new IPEndPoint(IPAddress.Parse("2001:db8::7"), 51234), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 443),
    new LinkOptions { MaxSegmentSize = 7 }, seed: 5);
