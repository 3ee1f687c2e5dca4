using System.Runtime.CompilerServices;
using RxNet.Twisted;

namespace RxNet.Specs.Fakes;

/// <summary>A protocol with a parameterless constructor (for <see cref="Factory.ForProtocol{T}"/>) that
/// registers itself under its connection, so a spec can find the instance a factory built.</summary>
public sealed class SelfReportingProtocol : Protocol
{
    private static readonly ConditionalWeakTable<IConnection, SelfReportingProtocol> _instances = [];

    /// <summary>The factory as seen from inside <see cref="ConnectionMade"/>.</summary>
    public Factory? FactoryAtMade { get; private set; }

    /// <summary>The protocol running over <paramref name="connection"/>, if any.</summary>
    public static SelfReportingProtocol? On(IConnection connection) =>
        _instances.TryGetValue(connection, out var protocol) ? protocol : null;

    public override void ConnectionMade()
    {
        FactoryAtMade = Factory;
        _instances.AddOrUpdate(Transport.Connection, this);
    }
}
