using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RxNet.Specs.Fakes;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>
/// The adapter that runs a <see cref="Protocol"/> over an <see cref="IConnection"/>: events in
/// Twisted's order, writes to the output, and the end of the connection reported once.
/// </summary>
public sealed class ConnectionTransportSpecs
{
    [Fact]
    public void Attach_BytesWaitingBeforeAttach_ConnectionMadeComesBeforeAnyDataReceived()
    {
        using var connection = new FakeConnection();
        connection.Input.Receive("early");
        var protocol = new RecordingProtocol();

        ConnectionTransport.Attach(connection, protocol);

        Assert.Equal(["made", "made:end", "data:early"], protocol.Log);
    }

    [Fact]
    public void ConnectionMade_Called_WithTransportSetAndConnectedTrue()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol();

        ConnectionTransport.Attach(connection, protocol);

        Assert.NotNull(protocol.TransportAtMade);
        Assert.True(protocol.ConnectedAtMade);
        Assert.True(protocol.Connected);
        Assert.Same(connection, protocol.TransportAtMade.Connection);
        Assert.Equal(connection.RemoteEndPoint, protocol.TransportAtMade.Peer);
        Assert.Equal(connection.LocalEndPoint, protocol.TransportAtMade.Host);
    }

    [Fact]
    public void Attach_Input_IsSubscribedExactlyOnce()
    {
        using var connection = new FakeConnection();

        ConnectionTransport.Attach(connection, new RecordingProtocol());

        Assert.Equal(1, connection.Input.SubscribeCount);
        Assert.Equal(0, connection.Input.RefusedCount);
    }

    [Fact]
    public void DataReceived_SeveralChunks_GetsEachChunkInOrder()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol();
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("one");
        connection.Input.Receive("two");
        connection.Input.Receive("three");

        Assert.Equal(["made", "made:end", "data:one", "data:two", "data:three"], protocol.Log);
    }

    [Fact]
    public void Write_FromConnectionMade_ReachesTheOutput()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol { OnMade = p => p.Transport.Write("hello"u8.ToArray()) };

        ConnectionTransport.Attach(connection, protocol);

        Assert.Equal("hello", Assert.Single(connection.Output.Writes).AsText());
    }

    [Fact]
    public void Write_EchoFromDataReceived_ReachesTheOutputInOrder()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol { OnData = (p, text) => p.Transport.Write(Encoding.UTF8.GetBytes(text)) };
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("ping ");
        connection.Input.Receive("pong");

        Assert.Equal(["ping ", "pong"], connection.Output.Writes.Select(w => w.AsText()));
    }

    [Fact]
    public void WriteSequence_SeveralPieces_WritesEachPieceInOrder()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol
        {
            OnMade = p => p.Transport.WriteSequence(["a"u8.ToArray(), "bc"u8.ToArray(), "def"u8.ToArray()]),
        };

        ConnectionTransport.Attach(connection, protocol);

        Assert.Equal(["a", "bc", "def"], connection.Output.Writes.Select(w => w.AsText()));
    }

    [Fact]
    public void WriteSequence_Null_ThrowsArgumentNull()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol();
        ConnectionTransport.Attach(connection, protocol);

        Assert.Throws<ArgumentNullException>(() => protocol.Transport.WriteSequence(null!));
    }

    [Fact]
    public void LoseConnection_Called_ClosesTheConnectionWithoutAborting()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol();
        ConnectionTransport.Attach(connection, protocol);

        protocol.Transport.LoseConnection();

        Assert.Equal(1, connection.CloseCount); // Close, not Output.OnCompleted: it does not wait for the peer
        Assert.Equal(1, connection.Output.CompletedCount);
        Assert.False(connection.IsDisposed);
        Assert.Empty(protocol.LostReasons);
    }

    [Fact]
    public void AbortConnection_Called_DisposesTheConnectionAndReportsAborted()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol();
        ConnectionTransport.Attach(connection, protocol);

        protocol.Transport.AbortConnection();

        Assert.Equal(1, connection.DisposeCount);
        Assert.False(connection.Output.IsCompleted);
        Assert.Equal(ConnectionCloseReason.Aborted, Assert.Single(protocol.LostReasons).Reason);
        Assert.False(protocol.Connected);
    }

    [Fact]
    public void InputCompleted_PeerClosedItsSide_LosesTheConnectionAsTwistedDoes()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol();
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("last words");
        connection.Input.End();

        Assert.Equal(1, connection.Output.CompletedCount);
        Assert.False(connection.IsDisposed);
        Assert.Equal(["made", "made:end", "data:last words"], protocol.Log);
        Assert.True(protocol.Connected, "ConnectionLost must wait for Closed, not for the end of the input");
    }

    [Fact]
    public void InputFailed_Reset_DoesNotCompleteTheOutputNorThrow()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol();
        ConnectionTransport.Attach(connection, protocol);

        var error = Record.Exception(() => connection.Input.Fail(new ConnectionResetException()));

        Assert.Null(error);
        Assert.False(connection.Output.IsCompleted);
        Assert.Empty(protocol.LostReasons);
    }

    [Fact]
    public void Closed_Fired_CallsConnectionLostOnceWithTheReasonAndConnectedTurnsFalse()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol();
        ConnectionTransport.Attach(connection, protocol);
        var reason = new ConnectionClosed(ConnectionCloseReason.PeerClose);

        connection.Input.End();
        connection.Close(reason);

        Assert.Same(reason, Assert.Single(protocol.LostReasons));
        Assert.False(protocol.Connected);
        Assert.Equal(["made", "made:end", "lost:PeerClose"], protocol.Log);
    }

    [Fact]
    public void Closed_WithAnError_PassesTheErrorToConnectionLost()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol();
        ConnectionTransport.Attach(connection, protocol);
        var error = new ConnectionResetException("gone");

        connection.Input.Fail(error);
        connection.Close(ConnectionCloseReason.Reset, error);

        var reason = Assert.Single(protocol.LostReasons);
        Assert.Equal(ConnectionCloseReason.Reset, reason.Reason);
        Assert.Same(error, reason.Error);
    }

    [Fact]
    public void Closed_ThenLostCallback_ProtocolHearsItFirst()
    {
        using var connection = new FakeConnection();
        var log = new List<string>();
        var protocol = new RecordingProtocol { OnLost = (_, _) => log.Add("protocol") };
        ConnectionTransport.Attach(connection, protocol, _ => log.Add("callback"));

        connection.Close(ConnectionCloseReason.LocalClose);

        Assert.Equal(["protocol", "callback"], log);
    }

    /// <summary>
    /// An exception from <see cref="Protocol.DataReceived"/> never reaches the transport's loop
    /// (the transport serves other connections on it): the adapter aborts that connection through <c>Output.OnError</c> with it, drops
    /// whatever else arrives, and other connections are not touched.
    /// </summary>
    [Fact]
    public void DataReceived_Throws_AbortsThatConnectionOnlyWithTheError()
    {
        using var bad = new FakeConnection();
        using var good = new FakeConnection();
        var boom = new InvalidOperationException("protocol bug");
        int calls = 0;
        var badProtocol = new RecordingProtocol { OnData = (_, _) => { calls++; throw boom; } };
        var goodProtocol = new RecordingProtocol { OnData = (p, t) => p.Transport.Write(Encoding.UTF8.GetBytes(t)) };
        ConnectionTransport.Attach(bad, badProtocol);
        ConnectionTransport.Attach(good, goodProtocol);

        var surfaced = Record.Exception(() => bad.Input.Receive("x"));
        bad.Input.Receive("y");
        good.Input.Receive("still here");

        Assert.Null(surfaced);
        Assert.Equal(1, calls);
        Assert.Same(boom, bad.Output.Error);
        Assert.Equal("still here", good.Output.Text);
        Assert.True(goodProtocol.Connected);
        Assert.Empty(goodProtocol.LostReasons);
        Assert.False(good.IsDisposed);
    }

    /// <summary>As Twisted logs an unhandled error in <c>dataReceived</c>: the factory's logger hears which protocol,
    /// which callback and which peer, with the exception.</summary>
    [Fact]
    public void DataReceived_Throws_IsLoggedOnTheFactorysLoggerWithTheProtocolAndTheCallback()
    {
        using var connection = new FakeConnection();
        var logger = new FakeLogger();
        var boom = new InvalidOperationException("protocol bug");
        var protocol = new RecordingProtocol { OnData = (_, _) => throw boom, Factory = new Factory { Logger = logger } };
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("x");

        var entry = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Same(boom, entry.Exception);
        Assert.StartsWith("RecordingProtocol: DataReceived threw on the connection to ", entry.Message, StringComparison.Ordinal);
    }

    /// <summary>The connection has ended when <see cref="Protocol.ConnectionLost"/> runs: its exception is logged, and
    /// never thrown into the transport that reported the end.</summary>
    [Fact]
    public void ConnectionLost_Throws_IsLoggedAndNotThrownIntoTheTransport()
    {
        using var connection = new FakeConnection();
        var logger = new FakeLogger();
        var protocol = new RecordingProtocol { OnLost = (_, _) => throw new InvalidOperationException("cleanup bug"), Factory = new Factory { Logger = logger } };
        ConnectionClosed? heard = null;
        ConnectionTransport.Attach(connection, protocol, reason => heard = reason);

        var surfaced = Record.Exception(() => connection.Close(ConnectionCloseReason.PeerClose));

        Assert.Null(surfaced);
        Assert.Equal(ConnectionCloseReason.PeerClose, heard?.Reason);             // the end is still reported
        Assert.Contains("ConnectionLost threw", Assert.Single(logger.Collector.GetSnapshot()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionMade_Throws_AbortsTheConnectionAndRethrowsWithoutReadingInput()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol { OnMade = _ => throw new InvalidOperationException("no greeting") };

        Assert.Throws<InvalidOperationException>(() => ConnectionTransport.Attach(connection, protocol));

        Assert.Equal(1, connection.DisposeCount);
        Assert.Equal(0, connection.Input.SubscribeCount);
        Assert.Equal(ConnectionCloseReason.Aborted, Assert.Single(protocol.LostReasons).Reason);
    }

    [Fact]
    public void Attach_ConnectionAlreadyClosed_CallsConnectionMadeFirstAndEndsDisconnected()
    {
        using var connection = new FakeConnection();
        connection.Input.End();
        connection.Close(ConnectionCloseReason.PeerClose);
        var protocol = new RecordingProtocol();

        ConnectionTransport.Attach(connection, protocol);

        Assert.Equal(["made", "made:end", "lost:PeerClose"], protocol.Log);
        Assert.False(protocol.Connected);
    }

    [Fact]
    public void AbortConnection_InsideConnectionMade_ConnectionLostComesAfterConnectionMadeReturns()
    {
        using var connection = new FakeConnection();
        var protocol = new RecordingProtocol { OnMade = p => p.Transport.AbortConnection() };

        ConnectionTransport.Attach(connection, protocol);

        Assert.Equal(["made", "made:end", "lost:Aborted"], protocol.Log);
        Assert.False(protocol.Connected);
    }
}
