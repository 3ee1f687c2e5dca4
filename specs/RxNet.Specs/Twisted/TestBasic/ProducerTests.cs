using RxNet.Twisted;
using Xunit;
using static RxNet.Specs.Twisted.TestBasic.StringTransport;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted 22.4 <c>test_basic.ProducerTests</c>: a <c>LineReceiver</c> that pauses itself after every line;
/// Twisted's <c>OnlyProducerTransport.paused</c> is the connection's input being paused.</summary>
public sealed class ProducerTests
{
    [Fact]
    public void TestPauseResume_PausedAfterEachLine_LinesWaitUntilResumeProducing()
    {
        var p = new ConsumingProtocol();
        var t = p.MakeConnection();
        List<string> Data() => [.. t.Output.Writes.Select(w => S(w))];

        p.DataReceived(B("hello, "));
        Assert.Empty(Data());
        Assert.False(t.Input.IsPaused);
        Assert.False(p.Paused);

        p.DataReceived(B("world\r\n"));
        Assert.Equal(["hello, world"], Data());
        Assert.True(t.Input.IsPaused);
        Assert.True(p.Paused);

        p.ResumeProducing();
        Assert.Equal(["hello, world"], Data());
        Assert.False(t.Input.IsPaused);
        Assert.False(p.Paused);

        p.DataReceived(B("hello\r\nworld\r\n"));
        Assert.Equal(["hello, world", "hello"], Data());
        Assert.True(t.Input.IsPaused);
        Assert.True(p.Paused);

        p.ResumeProducing();
        Assert.Equal(["hello, world", "hello", "world"], Data());
        Assert.True(t.Input.IsPaused);
        Assert.True(p.Paused);

        p.DataReceived(B("goodbye\r\n"));
        Assert.Equal(["hello, world", "hello", "world"], Data());
        Assert.True(t.Input.IsPaused);
        Assert.True(p.Paused);

        p.ResumeProducing();
        Assert.Equal(["hello, world", "hello", "world", "goodbye"], Data());
        Assert.True(t.Input.IsPaused);
        Assert.True(p.Paused);

        p.ResumeProducing();
        Assert.Equal(["hello, world", "hello", "world", "goodbye"], Data());
        Assert.False(t.Input.IsPaused);
        Assert.False(p.Paused);
    }

    /// <summary>Twisted's <c>ConsumingProtocol</c>: writes each line, then pauses.</summary>
    private sealed class ConsumingProtocol : LineReceiver
    {
        public override void LineReceived(ReadOnlyMemory<byte> line)
        {
            Transport.Write(line);
            PauseProducing();
        }
    }
}
