namespace RxNet;

/// <summary>Why and how a connection ended: the single value of <see cref="IConnection.Closed"/>.</summary>
/// <param name="Reason">What ended the connection.</param>
/// <param name="Error">The error behind <see cref="ConnectionCloseReason.Reset"/>,
/// <see cref="ConnectionCloseReason.Aborted"/> or <see cref="ConnectionCloseReason.Error"/>, if any.</param>
public sealed record ConnectionClosed(ConnectionCloseReason Reason, Exception? Error = null)
{
    /// <summary>Whether both sides finished cleanly (no reset, abort, timeout or error).</summary>
    public bool IsClean => Reason is ConnectionCloseReason.LocalClose or ConnectionCloseReason.PeerClose;

    /// <inheritdoc/>
    public override string ToString() => Error is null ? Reason.ToString() : $"{Reason}: {Error.Message}";
}
