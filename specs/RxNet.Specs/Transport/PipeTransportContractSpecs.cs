using Microsoft.Reactive.Testing;
using RxNet.Testing.Contracts;

namespace RxNet.Specs.Transport;

/// <summary>
/// The transport contract on <see cref="PipeConnection"/>: a transport built from the public skeleton alone
/// keeps every rule of the connection contract.
/// </summary>
public sealed class PipeTransportContractSpecs() : VirtualTimeTransportContract(new TestScheduler())
{
    protected override Task<ConnectionPair> ConnectAsync(ConnectionOptions options)
    {
        var (client, server) = PipeConnection.Pair(Scheduler, options);
        return Task.FromResult(new ConnectionPair(client, server));
    }
}
