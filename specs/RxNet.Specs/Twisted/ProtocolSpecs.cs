using RxNet.Specs.Fakes;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>A <see cref="Protocol"/> on its own, before and after it is connected.</summary>
public sealed class ProtocolSpecs
{
    [Fact]
    public void Transport_BeforeConnectionMade_ThrowsInvalidOperationNamingTheProtocol()
    {
        var protocol = new RecordingProtocol();

        var error = Assert.Throws<InvalidOperationException>(() => protocol.Transport);

        Assert.Contains(nameof(RecordingProtocol), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NewProtocol_NotConnected_HasNoFactoryAndIsNotConnected()
    {
        var protocol = new RecordingProtocol();

        Assert.False(protocol.Connected);
        Assert.Null(protocol.Factory);
    }

    [Fact]
    public void Transport_AfterConnectionMade_IsTheOneSeenInConnectionMade()
    {
        var protocol = new RecordingProtocol();
        using var connection = new FakeConnection();

        ConnectionTransport.Attach(connection, protocol);

        Assert.NotNull(protocol.TransportAtMade);
        Assert.Same(protocol.TransportAtMade, protocol.Transport);
        Assert.Same(connection, protocol.Transport.Connection);
    }

    [Fact]
    public void DefaultEvents_DoNothing_AConnectionRunsWithABareProtocol()
    {
        var protocol = new BareProtocol();
        using var connection = new FakeConnection();

        ConnectionTransport.Attach(connection, protocol);
        connection.Input.Receive("ignored");
        connection.Input.End();
        connection.Close(ConnectionCloseReason.PeerClose);

        Assert.False(protocol.Connected);
        Assert.Empty(connection.Output.Writes);
        Assert.True(connection.Output.IsCompleted);
    }

    private sealed class BareProtocol : Protocol;
}
