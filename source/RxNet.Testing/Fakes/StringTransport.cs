using System.Net;
using RxNet.Twisted;

namespace RxNet.Testing;

/// <summary>
/// Twisted's <c>proto_helpers.StringTransport</c>: an <see cref="ITransport"/> that only records, so a Twisted-style
/// <see cref="Protocol"/> is specified call by call. Connect the protocol with
/// <see cref="Protocol.MakeConnection(ITransport)"/>, feed it with <see cref="Protocol.DataReceived"/>, and read what it
/// wrote with <see cref="Value"/>.
/// </summary>
/// <remarks>
/// <para>As Twisted's, it has no behaviour of its own: <see cref="LoseConnection"/> only sets
/// <see cref="Disconnecting"/> (nothing is closed, no <see cref="Protocol.ConnectionLost"/> follows, and later writes
/// are still recorded); <see cref="AbortConnection"/> also sets <see cref="Disconnected"/>. A spec that wants the
/// end calls <c>protocol.ConnectionLost(...)</c> itself, as Twisted's tests call <c>connectionLost</c>.</para>
/// <para>The writes are recorded by a <see cref="FakeConnection"/> (<see cref="Connection"/>), whose
/// <see cref="FakeOutput.Writes"/> keeps each write apart, for a spec that cares how the bytes were cut.</para>
/// <para>Everything is synchronous, on the caller's thread; not thread-safe. For chunking, latency and closes that
/// behave like TCP, run the protocol's factory on a <see cref="SimulatedNetwork"/> instead
/// (<see cref="SimulatedNetworkConnectExtensions.ConnectTo(SimulatedNetwork, Factory, string, string, int)"/>).</para>
/// </remarks>
/// <example>
/// <code>
/// var transport = new StringTransport();
/// var protocol = new Finger();
/// protocol.MakeConnection(transport);
/// protocol.DataReceived("moshez\r\n"u8.ToArray());
/// Assert.Equal("Login: moshez\nNo such user\n"u8.ToArray(), transport.Value());
/// </code>
/// </example>
public sealed class StringTransport : ITransport
{
    /// <summary>Creates a transport that has recorded nothing yet.</summary>
    /// <param name="hostAddress">What <see cref="Host"/> reports; Twisted's 10.0.0.1:12345 when omitted.</param>
    /// <param name="peerAddress">What <see cref="Peer"/> reports; Twisted's 192.168.1.1:54321 when omitted.</param>
    public StringTransport(EndPoint? hostAddress = null, EndPoint? peerAddress = null) =>
        Connection = new FakeConnection
        {
            LocalEndPoint = hostAddress ?? new IPEndPoint(new IPAddress([10, 0, 0, 1]), 12345),
            RemoteEndPoint = peerAddress ?? new IPEndPoint(new IPAddress([192, 168, 1, 1]), 54321),
        };

    /// <summary>The in-memory connection underneath, which records the writes; what
    /// <see cref="ITransport.Connection"/> returns.</summary>
    public FakeConnection Connection { get; }

    IConnection ITransport.Connection => Connection;

    /// <summary>This side's address (Twisted's <c>getHost</c>).</summary>
    public EndPoint? Host => Connection.LocalEndPoint;

    /// <summary>The peer's address (Twisted's <c>getPeer</c>).</summary>
    public EndPoint? Peer => Connection.RemoteEndPoint;

    /// <summary>Whether <see cref="LoseConnection"/> or <see cref="AbortConnection"/> was called (Twisted's <c>disconnecting</c>).</summary>
    public bool Disconnecting { get; private set; }

    /// <summary>Whether <see cref="AbortConnection"/> was called (Twisted's <c>disconnected</c>).</summary>
    public bool Disconnected { get; private set; }

    /// <summary>Everything written since the transport was made or last cleared, in one array (Twisted's <c>value()</c>).</summary>
    /// <returns>A fresh copy of the bytes.</returns>
    public byte[] Value() => [.. Connection.Output.Writes.SelectMany(write => write)];

    /// <summary>Forgets what was written so far (Twisted's <c>clear()</c>); <see cref="Value"/> is empty afterwards.</summary>
    public void Clear() => Connection.Output.Clear();

    /// <summary>Records <paramref name="data"/>, copied.</summary>
    /// <param name="data">The bytes.</param>
    public void Write(ReadOnlyMemory<byte> data) => Connection.Output.OnNext(data);

    /// <summary>Records each piece in order, copied.</summary>
    /// <param name="data">The pieces.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    public void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var piece in data)
            Write(piece);
    }

    /// <summary>The producer registered with <see cref="RegisterProducer"/>, or <see langword="null"/> (Twisted's <c>producer</c>).</summary>
    public IProducer? Producer { get; private set; }

    /// <summary>Whether the registered <see cref="Producer"/> is a push producer (Twisted's <c>streaming</c>).</summary>
    public bool Streaming { get; private set; }

    /// <summary>What the protocol asked of this transport as a producer of its input (Twisted's <c>producerState</c>):
    /// <see cref="ProducerState.Producing"/> until <see cref="PauseProducing"/> or <see cref="StopProducing"/>.</summary>
    public ProducerState ProducerState { get; private set; }

    /// <summary>Records <paramref name="producer"/>; it is never asked for anything, as in Twisted.</summary>
    /// <param name="producer">The producer.</param>
    /// <param name="streaming">Whether it is a push producer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="producer"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A producer is registered already (Twisted's "Cannot register two producers").</exception>
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(producer);
        if (Producer is not null)
            throw new InvalidOperationException("Cannot register two producers.");
        Producer = producer;
        Streaming = streaming;
    }

    /// <summary>Forgets the registered producer.</summary>
    /// <exception cref="InvalidOperationException">No producer is registered.</exception>
    public void UnregisterProducer()
    {
        if (Producer is null)
            throw new InvalidOperationException("Cannot unregister a producer unless one is registered.");
        Producer = null;
        Streaming = false;
    }

    /// <summary>Sets <see cref="ProducerState"/> to <see cref="ProducerState.Paused"/>.</summary>
    /// <exception cref="InvalidOperationException">After <see cref="LoseConnection"/> or <see cref="StopProducing"/>, as Twisted's.</exception>
    public void PauseProducing() => ProducerState = CheckedState(ProducerState.Paused);

    /// <summary>Sets <see cref="ProducerState"/> to <see cref="ProducerState.Producing"/>.</summary>
    /// <exception cref="InvalidOperationException">After <see cref="LoseConnection"/> or <see cref="StopProducing"/>, as Twisted's.</exception>
    public void ResumeProducing() => ProducerState = CheckedState(ProducerState.Producing);

    /// <summary>Sets <see cref="ProducerState"/> to <see cref="ProducerState.Stopped"/>.</summary>
    public void StopProducing() => ProducerState = ProducerState.Stopped;

    private ProducerState CheckedState(ProducerState next)
    {
        if (Disconnecting)
            throw new InvalidOperationException("Cannot resume producing after LoseConnection.");
        if (ProducerState == ProducerState.Stopped)
            throw new InvalidOperationException("Cannot resume a stopped producer.");
        return next;
    }

    /// <summary>Sets <see cref="Disconnecting"/>, and does nothing else, as Twisted's.</summary>
    public void LoseConnection() => Disconnecting = true;

    /// <summary>Sets <see cref="Disconnected"/> and <see cref="Disconnecting"/>, and does nothing else, as Twisted's.</summary>
    public void AbortConnection()
    {
        Disconnected = true;
        LoseConnection();
    }
}
