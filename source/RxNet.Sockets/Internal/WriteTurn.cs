namespace RxNet.Sockets.Internal;

/// <summary>
/// The "same turn" of the output contract: while an input delivers a chunk, outputs written to are
/// enlisted and flushed once the delivery returns, so all writes made in reaction to one chunk
/// (on any connection) leave in one send each.
/// </summary>
internal static class WriteTurn
{
    [ThreadStatic]
    private static List<SocketOutput>? t_enlisted;

    [ThreadStatic]
    private static SocketConnection? t_owner;

    public static bool IsActive => t_owner is not null;

    /// <summary>The connection whose input is delivering, if any.</summary>
    public static SocketConnection? Owner => t_owner;

    public static void Begin(SocketConnection owner) => t_owner = owner;

    public static void Enlist(SocketOutput output) => (t_enlisted ??= []).Add(output);

    public static void End()
    {
        t_owner = null;
        var enlisted = t_enlisted;
        if (enlisted is null || enlisted.Count == 0)
            return;
        // A flush may finish a connection and run user callbacks that write again; those
        // writes see no active turn and are scheduled on the pool, so the list is stable here.
        for (int i = 0; i < enlisted.Count; i++)
            enlisted[i].Flush();
        enlisted.Clear();
    }
}
