using System.Net;

namespace RxNet;

/// <summary>
/// A full-duplex byte stream to one peer: what Twisted calls a transport plus its
/// connection events, expressed as a pair of Rx endpoints.
/// </summary>
/// <remarks>
/// <para><b>Input.</b> <see cref="Input"/> is cold and unicast: subscribing starts reading and
/// disposing the subscription stops it. One subscriber at a time; a second concurrent
/// subscription fails at once with an <see cref="InvalidOperationException"/> (use
/// <c>Publish()</c> to share). No byte is lost between accept and subscribe: the kernel keeps it.
/// Notifications are sequential and never carry an empty chunk. <c>OnCompleted</c> means the
/// peer closed its sending side (FIN); <c>OnError</c> means reset (<see cref="ConnectionResetException"/>),
/// local abort (<see cref="ConnectionAbortedException"/>), an I/O fault or a protocol violation.</para>
/// <para><b>Ownership.</b> A chunk handed to <c>OnNext</c> belongs to the subscriber: it never
/// changes afterwards, so <c>Buffer</c>, <c>ToList</c>, <c>ObserveOn</c> and <c>Replay</c> are safe.
/// A chunk may be a slice of a larger block shared with other chunks; call <c>ToArray()</c> on one
/// you keep for a long time if you care about the memory it pins.</para>
/// <para><b>Threading.</b> Callbacks arrive on I/O threads, never concurrently for one connection.</para>
/// <para><b>Lifecycle.</b> The socket is released once both directions are finished: the
/// <see cref="Output"/> completed and flushed (or aborted) and the <see cref="Input"/> ended.
/// <see cref="Closed"/> then reports why. <see cref="IDisposable.Dispose"/> aborts at once (a TCP
/// reset), discarding unsent output; it is idempotent.</para>
/// </remarks>
public interface IConnection : IDisposable
{
    /// <summary>Bytes received from the peer, in order; an <see cref="IConnectionInput"/>, so a consumer that
    /// cannot keep up (for example <see cref="ConnectionExtensions.WriteTo(IConnectionInput, IConnectionOutput)"/>)
    /// can pause the peer.</summary>
    IConnectionInput Input { get; }

    /// <summary>Bytes to send to the peer; see <see cref="IConnectionOutput"/>.</summary>
    IConnectionOutput Output { get; }

    /// <summary>This side's address, or <see langword="null"/> where the transport has none.</summary>
    EndPoint? LocalEndPoint { get; }

    /// <summary>The peer's address, or <see langword="null"/> where the transport has none.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Emits one <see cref="ConnectionClosed"/> once both directions are finished and the
    /// underlying resource is released, then completes. Late subscribers get the same value.
    /// </summary>
    IObservable<ConnectionClosed> Closed { get; }

    /// <summary>
    /// Closes the connection cleanly, whatever the peer does (Twisted's <c>loseConnection</c>): what is queued is sent,
    /// then the sending side is finished (FIN), then the connection is released without waiting for the peer's FIN.
    /// <see cref="Closed"/> then reports <see cref="ConnectionCloseReason.LocalClose"/> (or
    /// <see cref="ConnectionCloseReason.PeerClose"/> if the peer had finished first).
    /// </summary>
    /// <remarks>
    /// <para>The input ends with <c>OnCompleted</c> once the connection is released; bytes received but not yet
    /// delivered are dropped, and so is whatever the peer sends after. Idempotent; after <see cref="IDisposable.Dispose"/>
    /// it does nothing.</para>
    /// <para><b>Compared with the other ends.</b> <c>Output.OnCompleted()</c> only finishes the sending side (a
    /// half-close): the connection stays open until the peer finishes too. <c>Dispose()</c> aborts (a TCP reset) and
    /// drops what is queued.</para>
    /// <para><b>TCP.</b> A socket closed with received bytes it never read makes the kernel send a reset; the socket
    /// transports therefore discard what has arrived before closing, so a peer that has finished sending sees a clean
    /// close. Bytes the peer sends after the close are answered with a reset by the kernel, as with any closed socket.</para>
    /// </remarks>
    void Close();
}
