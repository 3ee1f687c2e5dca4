namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>IHalfCloseableProtocol</c>: a <see cref="Protocol"/> that implements it keeps the connection open when the
/// peer finishes sending, and hears of each direction ending on its own.
/// </summary>
/// <remarks>
/// <para>Without it, the peer's end of stream (its FIN) makes the transport send what is queued and close, as Twisted
/// does. With it, <see cref="ReadConnectionLost"/> is called instead and the protocol may go on writing; it ends the
/// connection with <see cref="ITransport.LoseConnection"/> when it is done. <see cref="ITransport.LoseWriteConnection"/>
/// finishes only this side's sending, after which <see cref="WriteConnectionLost"/> is called while the peer may go on
/// sending.</para>
/// <para>Both run on the connection's thread, in order with the protocol's other events and always before
/// <see cref="Protocol.ConnectionLost"/>; an exception thrown by either aborts the connection, as from any event.</para>
/// </remarks>
public interface IHalfCloseableProtocol
{
    /// <summary>The peer finished sending (Twisted's <c>readConnectionLost</c>): no more <see cref="Protocol.DataReceived"/>
    /// will come, and the connection stays open for writing.</summary>
    void ReadConnectionLost();

    /// <summary>This side's sending is finished after <see cref="ITransport.LoseWriteConnection"/> (Twisted's
    /// <c>writeConnectionLost</c>): what was queued has been handed to the transport and the FIN follows it.</summary>
    void WriteConnectionLost();
}
