namespace RxNet.Http.Client.Internal;

/// <summary>Where a connection is in its pool, touched only under the pool's lock.</summary>
internal sealed class PoolSlot
{
    public PoolState State { get; set; } = PoolState.InUse;
}
