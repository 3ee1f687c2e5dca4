using Xunit;

namespace RxNet.Specs.Connections;

/// <summary>The single value of <see cref="IConnection.Closed"/>: clean or not, and readable.</summary>
public sealed class ConnectionClosedSpecs
{
    public static TheoryData<ConnectionCloseReason> AllReasons() => [.. Enum.GetValues<ConnectionCloseReason>()];

    [Theory]
    [MemberData(nameof(AllReasons))]
    public void IsClean_EveryReason_TrueOnlyForLocalAndPeerClose(ConnectionCloseReason reason)
    {
        bool expected = reason is ConnectionCloseReason.LocalClose or ConnectionCloseReason.PeerClose;

        Assert.Equal(expected, new ConnectionClosed(reason).IsClean);
    }

    [Fact]
    public void IsClean_CleanReasonWithAnError_StillDependsOnTheReasonOnly()
    {
        var closed = new ConnectionClosed(ConnectionCloseReason.Reset, new ConnectionResetException());

        Assert.False(closed.IsClean);
        Assert.True(new ConnectionClosed(ConnectionCloseReason.PeerClose).IsClean);
    }

    [Fact]
    public void ToString_WithAnError_IncludesTheReasonAndTheErrorMessage()
    {
        var closed = new ConnectionClosed(ConnectionCloseReason.Reset, new ConnectionResetException("peer went away"));

        string text = closed.ToString();

        Assert.Contains("Reset", text, StringComparison.Ordinal);
        Assert.Contains("peer went away", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_WithoutAnError_IsTheReason()
    {
        Assert.Equal("PeerClose", new ConnectionClosed(ConnectionCloseReason.PeerClose).ToString());
    }

    [Fact]
    public void Equality_SameReasonAndError_AreEqual()
    {
        var error = new IOException("x");

        Assert.Equal(new ConnectionClosed(ConnectionCloseReason.Error, error), new ConnectionClosed(ConnectionCloseReason.Error, error));
        Assert.NotEqual(new ConnectionClosed(ConnectionCloseReason.Error, error), new ConnectionClosed(ConnectionCloseReason.Aborted, error));
    }
}
