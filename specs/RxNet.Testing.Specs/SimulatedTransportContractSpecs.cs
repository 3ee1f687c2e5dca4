using RxNet.Testing.Contracts;

namespace RxNet.Testing.Specs;

/// <summary>The contract on the default link: 1 ms latency, unlimited bandwidth, writes kept whole.</summary>
public sealed class SimulatedTransportContractSpecs() : SimulatedTransportContract(LinkOptions.Default);

/// <summary>The contract on a link that cuts every transmission into one-byte segments.</summary>
/// <remarks>Every byte is a scheduled delivery here, so the end-to-end streams are 256 KiB rather than
/// 1 MiB: still four times the water mark and the receive window.</remarks>
public sealed class SimulatedOneByteSegmentsTransportContractSpecs() : SimulatedTransportContract(new LinkOptions { MaxSegmentSize = 1 }, seed: 11)
{
    protected override long StreamBytes => 256 * 1024;
}

/// <summary>The contract on a slow link: 20 ms latency, 1 MB/s, and random segments of up to 1500 bytes.</summary>
public sealed class SimulatedSlowLinkTransportContractSpecs() : SimulatedTransportContract(
    new LinkOptions { Latency = TimeSpan.FromMilliseconds(20), BytesPerSecond = 1_000_000, MaxSegmentSize = 1500 }, seed: 12);
