using System.Net;

namespace RxNet.Twisted;

/// <summary>What a <see cref="Protocol"/> writes to: Twisted's <c>ITransport</c> over an <see cref="IConnection"/>.</summary>
public interface ITransport
{
    /// <summary>Queues bytes to send; they are copied, so the caller may reuse its buffer at once.</summary>
    /// <param name="data">The bytes.</param>
    void Write(ReadOnlyMemory<byte> data);

    /// <summary>Queues several pieces to send, in order (Twisted's <c>writeSequence</c>).</summary>
    /// <param name="data">The pieces.</param>
    void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data);

    /// <summary>Sends what is queued, then closes the connection (Twisted's <c>loseConnection</c>), without waiting for
    /// the peer to close its side (<see cref="IConnection.Close"/>). <see cref="Protocol.ConnectionLost"/> follows, with
    /// <see cref="ConnectionCloseReason.LocalClose"/> unless the peer had closed first.</summary>
    void LoseConnection();

    /// <summary>Sends what is queued, then finishes only this side's sending (a half-close, Twisted's
    /// <c>loseWriteConnection</c>): the peer may go on sending, and <see cref="Protocol.ConnectionLost"/> follows once it
    /// has closed too. A protocol that implements <see cref="IHalfCloseableProtocol"/> hears of it through
    /// <see cref="IHalfCloseableProtocol.WriteConnectionLost"/>. By default, completes the connection's output.</summary>
    void LoseWriteConnection() => Connection.Output.OnCompleted();

    /// <summary>Closes at once, dropping what is queued; the peer sees a reset (Twisted's <c>abortConnection</c>).</summary>
    void AbortConnection();

    /// <summary>The peer's address (Twisted's <c>getPeer</c>).</summary>
    EndPoint? Peer { get; }

    /// <summary>This side's address (Twisted's <c>getHost</c>).</summary>
    EndPoint? Host { get; }

    /// <summary>The Rx connection underneath, for mixing both styles.</summary>
    IConnection Connection { get; }
}
