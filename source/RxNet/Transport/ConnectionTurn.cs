namespace RxNet.Transport;

/// <summary>
/// The "same turn" of the output contract: while an input delivers one chunk to its subscriber, outputs
/// written to are enlisted and drained once the delivery returns, so every write made in reaction to one
/// chunk (on any connection) leaves in one send per output; and an output can tell that it is fed by its
/// own connection's input, the only case in which it pauses that input (ADR 0003).
/// </summary>
/// <remarks>
/// <para><b>For transport authors.</b> An input wraps each <c>OnNext</c> of its subscriber in
/// <see cref="Begin"/> and <see cref="End"/> (in a <c>finally</c>); the transport input does it for you.
/// An <see cref="IOutputDrain"/> enlists its queue with <see cref="TryEnlist"/> and falls back to its own
/// scheduling outside a turn.</para>
/// <para><b>Threading.</b> A turn belongs to the thread that runs it. Turns nest (a layer such as TLS may
/// deliver inside the delivery of the connection underneath): only the outermost turn drains, once, when it
/// ends; <see cref="Owner"/> is the innermost input.</para>
/// </remarks>
public static class ConnectionTurn
{
    [ThreadStatic]
    private static object? t_owner;

    [ThreadStatic]
    private static List<TransportOutput>? t_enlisted;

    /// <summary>The owner (usually the connection) whose input is delivering on this thread, or
    /// <see langword="null"/> outside a turn.</summary>
    public static object? Owner => t_owner;

    /// <summary>Starts a turn for <paramref name="owner"/>'s input on this thread.</summary>
    /// <param name="owner">What identifies the connection whose input delivers; the same object its
    /// <see cref="TransportOutput"/> was given as owner.</param>
    /// <returns>The turn this one interrupts, to hand back to <see cref="End"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is null.</exception>
    public static object? Begin(object owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var outer = t_owner;
        t_owner = owner;
        return outer;
    }

    /// <summary>Ends the current turn; when it is the outermost, drains every output enlisted during it.</summary>
    /// <param name="outer">What <see cref="Begin"/> returned.</param>
    public static void End(object? outer)
    {
        t_owner = outer;
        if (outer is not null)
            return; // the outer turn drains everything when it ends
        var enlisted = t_enlisted;
        if (enlisted is null || enlisted.Count == 0)
            return;
        // A drain may run user callbacks that start another turn on this thread: it gets a list of its own.
        t_enlisted = null;
        for (int i = 0; i < enlisted.Count; i++)
            enlisted[i].Drain();
        enlisted.Clear();
        t_enlisted ??= enlisted;
    }

    /// <summary>Enlists <paramref name="queue"/> to be drained when the current turn ends.</summary>
    /// <param name="queue">The queue to drain.</param>
    /// <returns>Whether a turn is running on this thread (if not, nothing was enlisted).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="queue"/> is null.</exception>
    public static bool TryEnlist(TransportOutput queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (t_owner is null)
            return false;
        (t_enlisted ??= []).Add(queue);
        return true;
    }
}
