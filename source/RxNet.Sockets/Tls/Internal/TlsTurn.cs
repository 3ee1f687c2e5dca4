namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// The "same turn" of the output contract for TLS connections (the transport skeleton's
/// <see cref="RxNet.Transport.ConnectionTurn"/>, one layer up): while a TLS input delivers a chunk, TLS
/// outputs written to are enlisted and flushed once the delivery returns, so all writes made in reaction
/// to one chunk are encrypted together.
/// </summary>
internal static class TlsTurn
{
    [ThreadStatic]
    private static List<TlsOutput>? t_enlisted;

    [ThreadStatic]
    private static TlsConnection? t_owner;

    /// <summary>The TLS connection whose input is delivering on this thread, if any.</summary>
    public static TlsConnection? Owner => t_owner;

    /// <summary>Starts a turn; returns the turn it interrupts (a TLS connection running inside another's).</summary>
    public static TlsConnection? Begin(TlsConnection owner)
    {
        var outer = t_owner;
        t_owner = owner;
        return outer;
    }

    public static void Enlist(TlsOutput output) => (t_enlisted ??= []).Add(output);

    public static void End(TlsConnection? outer)
    {
        t_owner = outer;
        if (outer is not null)
            return; // the outer turn flushes everything when it ends
        var enlisted = t_enlisted;
        if (enlisted is null || enlisted.Count == 0)
            return;
        t_enlisted = null; // a flush may run another turn on this thread
        foreach (var output in enlisted)
            output.Flush();
    }
}
