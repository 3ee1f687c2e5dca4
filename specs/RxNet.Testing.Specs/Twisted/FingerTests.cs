using RxNet.Twisted;
using Xunit;

namespace RxNet.Testing.Specs.Twisted;

/// <summary>
/// Twisted 22.4's <c>twisted/test/test_finger.py</c>, ported line for line onto RxNet's public
/// <see cref="StringTransport"/>: <c>setUp</c> is the constructor, each <c>test_</c> a fact with the same bytes.
/// The protocol under test, <see cref="Finger"/>, is <c>twisted.protocols.finger.Finger</c>, ported beside it.
/// </summary>
public sealed class FingerTests
{
    private readonly StringTransport _transport;
    private readonly Finger _protocol;

    /// <summary>Create and connect a <see cref="Finger"/> instance (Twisted's <c>setUp</c>).</summary>
    public FingerTests()
    {
        _transport = new StringTransport();
        _protocol = new Finger();
        _protocol.MakeConnection(_transport);
    }

    /// <summary>test_simple: when Finger receives a CR LF terminated line, it responds with the default user status
    /// message, that no such user exists.</summary>
    [Fact]
    public void Finger_SimpleQuery_SaysNoSuchUser()
    {
        _protocol.DataReceived("moshez\r\n"u8.ToArray());
        Assert.Equal("Login: moshez\nNo such user\n"u8.ToArray(), _transport.Value());
    }

    /// <summary>test_simpleW: a query which begins with <c>/w</c> behaves as one which does not.</summary>
    [Fact]
    public void Finger_SlashWQuery_SaysNoSuchUser()
    {
        _protocol.DataReceived("/w moshez\r\n"u8.ToArray());
        Assert.Equal("Login: moshez\nNo such user\n"u8.ToArray(), _transport.Value());
    }

    /// <summary>test_forwarding: a request for a remote user is rejected.</summary>
    [Fact]
    public void Finger_RemoteUser_DeniesForwarding()
    {
        _protocol.DataReceived("moshez@example.com\r\n"u8.ToArray());
        Assert.Equal("Finger forwarding service denied\n"u8.ToArray(), _transport.Value());
    }

    /// <summary>test_list: a blank line asks for all online users, which is rejected.</summary>
    [Fact]
    public void Finger_BlankLine_DeniesTheOnlineList()
    {
        _protocol.DataReceived("\r\n"u8.ToArray());
        Assert.Equal("Finger online list denied\n"u8.ToArray(), _transport.Value());
    }

    /// <summary>Not in Twisted's file: each refusal also loses the connection, which a string transport records
    /// as <see cref="StringTransport.Disconnecting"/> and nothing more.</summary>
    [Fact]
    public void Finger_AnyAnswer_LosesTheConnection()
    {
        _protocol.DataReceived("moshez\r\n"u8.ToArray());
        Assert.True(_transport.Disconnecting);
        Assert.False(_transport.Disconnected);
        Assert.True(_protocol.Connected); // as in Twisted, a string transport never calls ConnectionLost
    }

    /// <summary>Not in Twisted's file: once the protocol loses the connection, the line receiver delivers no more
    /// lines, as Twisted's does when <c>transport.disconnecting</c> is set, so a second query in the same chunk goes unanswered.</summary>
    [Fact]
    public void Finger_TwoQueriesInOneChunk_AnswersOnlyTheFirst()
    {
        _protocol.DataReceived("moshez\r\nglyph\r\n"u8.ToArray());
        Assert.Equal("Login: moshez\nNo such user\n"u8.ToArray(), _transport.Value());
    }
}
