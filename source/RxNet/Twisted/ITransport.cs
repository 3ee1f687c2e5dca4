using System.Net;

namespace RxNet.Twisted;

/// <summary>What a <see cref="Protocol"/> writes to: Twisted's <c>ITransport</c> over an <see cref="IConnection"/>.</summary>
/// <remarks>
/// <para>As in Twisted, a transport is a consumer (<see cref="IConsumer.Write"/>; producers register with
/// <see cref="IConsumer.RegisterProducer"/> and are paused, asked and stopped by the output's
/// <see cref="IConnectionOutput.Writable"/> and the connection's end) and a push producer of what it receives:
/// <see cref="IPushProducer.PauseProducing"/> pauses reading the connection's input (the peer is then held by TCP's
/// flow control), <see cref="IPushProducer.ResumeProducing"/> reads on, and <see cref="IProducer.StopProducing"/>
/// loses the connection.</para>
/// </remarks>
public interface ITransport : IConsumer, IPushProducer
{
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

    /// <summary>Whether <see cref="LoseConnection"/> or <see cref="AbortConnection"/> was called (Twisted's
    /// <c>transport.disconnecting</c>): a <see cref="LineReceiver"/> stops delivering lines once it is true, as Twisted's does.</summary>
    bool Disconnecting { get; }

    /// <summary>The peer's address (Twisted's <c>getPeer</c>).</summary>
    EndPoint? Peer { get; }

    /// <summary>This side's address (Twisted's <c>getHost</c>).</summary>
    EndPoint? Host { get; }

    /// <summary>The Rx connection underneath, for mixing both styles.</summary>
    IConnection Connection { get; }
}
