using Xunit;

namespace Packages.Specs;

/// <summary>The spec classes that use the packed feed: they share one pack (packing is the slow part) and
/// run one after the other, never competing for the machine's cores.</summary>
[CollectionDefinition(Name)]
public sealed class SharedFeed : ICollectionFixture<PackedFeed>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Packages";
}
