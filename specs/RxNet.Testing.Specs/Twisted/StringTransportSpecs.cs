using System.Net;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Testing.Specs.Twisted;

/// <summary>
/// <see cref="StringTransport"/>, Twisted's <c>proto_helpers.StringTransport</c>: the cases of Twisted 22.4's
/// <c>StringTransportTests</c> (<c>twisted/internet/test/test_testing.py</c>) including its producer cases, plus
/// <c>value()</c>, <c>clear()</c> and <c>abortConnection()</c> as its docstrings describe them.
/// </summary>
public sealed class StringTransportSpecs
{
    private readonly StringTransport _transport = new();

    [Fact]
    public void Value_AfterWriteAndWriteSequence_IsEverythingWrittenInOrder()
    {
        _transport.Write("a"u8.ToArray());
        _transport.WriteSequence(["b"u8.ToArray(), "cd"u8.ToArray()]);

        Assert.Equal("abcd"u8.ToArray(), _transport.Value());
        Assert.Equal(3, _transport.Connection.Output.Writes.Count); // each write kept apart underneath
    }

    [Fact]
    public void Clear_AfterWrites_EmptiesValueAndLaterWritesStartAfresh()
    {
        _transport.Write("old"u8.ToArray());

        _transport.Clear();
        Assert.Empty(_transport.Value());
        _transport.Write("new"u8.ToArray());

        Assert.Equal("new"u8.ToArray(), _transport.Value());
    }

    [Fact]
    public void Write_BufferReusedAfterwards_ValueKeepsWhatWasWritten()
    {
        byte[] buffer = "one"u8.ToArray();
        _transport.Write(buffer);
        "two"u8.CopyTo(buffer);

        Assert.Equal("one"u8.ToArray(), _transport.Value());
    }

    /// <summary>test_loseConnectionSetsDisconnecting.</summary>
    [Fact]
    public void LoseConnection_SetsDisconnectingAndNothingElse()
    {
        Assert.False(_transport.Disconnecting);
        _transport.LoseConnection();
        Assert.True(_transport.Disconnecting);

        Assert.False(_transport.Disconnected);
        _transport.Write("still recorded"u8.ToArray()); // Twisted's keeps recording too
        Assert.Equal("still recorded"u8.ToArray(), _transport.Value());
        Assert.False(_transport.Connection.Output.IsCompleted);
    }

    [Fact]
    public void AbortConnection_SetsDisconnectedAndDisconnecting()
    {
        _transport.AbortConnection();

        Assert.True(_transport.Disconnected);
        Assert.True(_transport.Disconnecting);
        Assert.False(_transport.Connection.IsDisposed);
    }

    /// <summary>test_specifiedHostAddress and test_specifiedPeerAddress.</summary>
    [Fact]
    public void HostAndPeer_GivenToTheConstructor_AreReturned()
    {
        var host = new DnsEndPoint("server", 79);
        var peer = new DnsEndPoint("client", 49152);

        Assert.Same(host, new StringTransport(host).Host);
        Assert.Same(peer, new StringTransport(peerAddress: peer).Peer);
    }

    /// <summary>test_defaultHostAddress and test_defaultPeerAddress: Twisted's own defaults.</summary>
    [Fact]
    public void HostAndPeer_NotGiven_AreTwistedsDefaultIPv4Addresses()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 12345), _transport.Host);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.1"), 54321), _transport.Peer);
        Assert.Same(_transport.Connection, ((ITransport)_transport).Connection);
    }

    [Fact]
    public void MakeConnection_AProtocol_SetsItsTransportAndFiresConnectionMadeOnce()
    {
        var protocol = new Greeter();

        protocol.MakeConnection(_transport);

        Assert.Same(_transport, protocol.Transport);
        Assert.True(protocol.Connected);
        Assert.Equal("hello\r\n"u8.ToArray(), _transport.Value());
    }

    [Fact]
    public void MakeConnection_NullTransport_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => new Greeter().MakeConnection(null!));
    }

    private sealed class Greeter : Protocol
    {
        public override void ConnectionMade() => Transport.Write("hello\r\n"u8.ToArray());
    }

    // ---- Producers (Twisted's test_registerProducer ... test_disconnectingTransportCannotResume) ----

    [Fact]
    public void RegisterProducer_AProducer_IsRecordedWithItsKind()
    {
        var producer = new Producer();

        _transport.RegisterProducer(producer, streaming: true);

        Assert.Same(producer, _transport.Producer);
        Assert.True(_transport.Streaming);
    }

    [Fact]
    public void RegisterProducer_SecondWhileOneIsRegistered_ThrowsAndKeepsTheFirst()
    {
        var first = new Producer();
        _transport.RegisterProducer(first, streaming: true);

        Assert.Throws<InvalidOperationException>(() => _transport.RegisterProducer(new Producer(), streaming: false));

        Assert.Same(first, _transport.Producer);
        Assert.True(_transport.Streaming);
    }

    [Fact]
    public void UnregisterProducer_AfterRegister_ForgetsItSoANewOneCanRegister()
    {
        var next = new Producer();
        _transport.RegisterProducer(new Producer(), streaming: false);

        _transport.UnregisterProducer();
        Assert.Null(_transport.Producer);
        _transport.RegisterProducer(next, streaming: true);

        Assert.Same(next, _transport.Producer);
        Assert.True(_transport.Streaming);
    }

    [Fact]
    public void UnregisterProducer_NoneRegistered_Throws() =>
        Assert.Throws<InvalidOperationException>(_transport.UnregisterProducer);

    [Fact]
    public void ProducerState_PauseResumeStop_FollowTheCallsFromProducing()
    {
        Assert.Equal(ProducerState.Producing, _transport.ProducerState);
        _transport.PauseProducing();
        Assert.Equal(ProducerState.Paused, _transport.ProducerState);
        _transport.ResumeProducing();
        Assert.Equal(ProducerState.Producing, _transport.ProducerState);
        _transport.StopProducing();
        Assert.Equal(ProducerState.Stopped, _transport.ProducerState);
    }

    [Fact]
    public void PauseAndResume_AfterStopProducing_Throw()
    {
        _transport.StopProducing();

        Assert.Throws<InvalidOperationException>(_transport.PauseProducing);
        Assert.Throws<InvalidOperationException>(_transport.ResumeProducing);
        Assert.Equal(ProducerState.Stopped, _transport.ProducerState);
    }

    [Fact]
    public void PauseAndResume_AfterLoseConnection_Throw()
    {
        _transport.LoseConnection();

        Assert.Throws<InvalidOperationException>(_transport.PauseProducing);
        Assert.Throws<InvalidOperationException>(_transport.ResumeProducing);
        Assert.Equal(ProducerState.Producing, _transport.ProducerState);
    }

    private sealed class Producer : IPushProducer
    {
        public void PauseProducing()
        {
        }

        public void ResumeProducing()
        {
        }

        public void StopProducing()
        {
        }
    }
}
