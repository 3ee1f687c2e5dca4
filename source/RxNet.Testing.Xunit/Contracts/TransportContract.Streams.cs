using System.Text;
using Xunit;

namespace RxNet.Testing.Contracts;

public abstract partial class TransportContract
{
    private const string Greeting = "Hello, RxNet Server!\n";

    /// <summary>
    /// The seed's echo: the server subscribes its output to its input; the client sends
    /// "Hello, RxNet Server!\n" and completes its output. The client gets the greeting back and its
    /// input completes; the client closes with <see cref="ConnectionCloseReason.LocalClose"/> (it
    /// finished first) and the server with <see cref="ConnectionCloseReason.PeerClose"/>.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Echo_ClientSendsTheSeedsGreeting_GetsItBackAndBothCloseCleanly()
    {
        var pair = await OpenAsync();
        using var echo = pair.Server.Input.Subscribe(pair.Server.Output);
        var received = Probe(pair.Client.Input);

        pair.Client.Output.OnNext(Encoding.UTF8.GetBytes(Greeting));
        pair.Client.Output.OnCompleted();

        var end = await RunUntilEndedAsync(received, "the client's");
        Assert.Null(end.Error);
        Assert.Equal(Greeting, received.Text());
        Assert.Equal(ConnectionCloseReason.LocalClose, (await RunUntilClosedAsync(pair.Client, "the client's")).Reason);
        Assert.Equal(ConnectionCloseReason.PeerClose, (await RunUntilClosedAsync(pair.Server, "the server's")).Reason);
    }

    /// <summary>
    /// Ordering and integrity under any chunking: the client streams <see cref="StreamBytes"/> (1 MiB
    /// by default) in writes of random size (1 byte to 16 KiB, from one buffer it overwrites after each
    /// write), honouring <see cref="IConnectionOutput.Writable"/>, to an echo, and reads the echo meanwhile. Every byte
    /// comes back in order; no chunk is empty, no two notifications overlap, and no chunk the client
    /// kept changed afterwards (chunks belong to the subscriber).
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Echo_StreamInRandomSizedWrites_ComesBackInOrderIntactAndInChunksThatNeverChange()
    {
        long total = StreamBytes;
        var pair = await OpenAsync();
        using var echo = pair.Server.Input.Subscribe(pair.Server.Output);
        var received = Probe(pair.Client.Input, keep: true, pattern: StreamSeed);
        var writer = new PatternWriter(StreamSeed, 16 * 1024, sizeSeed: 1);

        await WriteHonouringWritableAsync(pair.Client.Output, writer, total);
        pair.Client.Output.OnCompleted();

        var end = await RunUntilEndedAsync(received, "the client's");
        Assert.Null(end.Error);
        Assert.Equal(total, received.Count);
        Assert.Equal(-1, received.FirstMismatch);
        Assert.Equal(0, received.EmptyChunks);
        Assert.Equal(0, received.Overlaps);
        Assert.Equal(0, received.LateNotifications);
        Assert.Equal(0, received.ChangedChunks());
        Assert.True((await RunUntilClosedAsync(pair.Server, "the server's")).IsClean);
    }

    /// <summary>
    /// Writes copy: the server writes 50 rounds of 1000 bytes from one buffer, refilling it at once
    /// after each write, then completes. The client reads exactly what each write held when it was made.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Output_CallerReusesItsBufferAtOnce_PeerGetsWhatWasWritten()
    {
        var pair = await OpenAsync();
        var received = Probe(pair.Client.Input);
        var buffer = new byte[1000];
        var expected = new List<byte>();

        for (byte round = 0; round < 50; round++)
        {
            Array.Fill(buffer, round);
            pair.Server.Output.OnNext(buffer);
            expected.AddRange(buffer);
        }
        pair.Server.Output.OnCompleted();

        var end = await RunUntilEndedAsync(received, "the client's");
        Assert.Null(end.Error);
        Assert.Equal(expected, received.Bytes());
    }

    /// <summary>
    /// Half-close, client first: the client sends "request" and completes its output. The server's
    /// input completes with "request" while the client's input stays open; the server still sends an
    /// answer, which the client receives, then completes; the client's input completes. The client
    /// closes with <see cref="ConnectionCloseReason.LocalClose"/>, the server with
    /// <see cref="ConnectionCloseReason.PeerClose"/>; each output's <see cref="IConnectionOutput.Writable"/>
    /// completes once it finished.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task HalfClose_ClientFinishesFirst_ServerStillSendsThenBothCloseCleanly()
    {
        const string Answer = "answer sent after the client's FIN";
        var pair = await OpenAsync();
        var serverIn = Probe(pair.Server.Input);
        var clientIn = Probe(pair.Client.Input);
        var clientWritable = WritableRecorder.Of(pair.Client.Output);
        var serverWritable = WritableRecorder.Of(pair.Server.Output);

        pair.Client.Output.OnNext("request"u8.ToArray());
        pair.Client.Output.OnCompleted();

        var serverEnd = await RunUntilEndedAsync(serverIn, "the server's");
        Assert.Null(serverEnd.Error);
        Assert.Equal("request", serverIn.Text());
        await RunUntilAsync(clientWritable.WhenCompleted, "the client's Writable completed");
        Assert.False(clientIn.Ended, "the client's input ended though the server had not finished sending");

        pair.Server.Output.OnNext(Encoding.ASCII.GetBytes(Answer));
        await RunUntilAsync(clientIn.WhenReceived(Answer.Length), "the client received the answer");
        Assert.False(clientIn.Ended, "the client's input ended before the server finished sending");
        Assert.Equal(Answer, clientIn.Text());

        pair.Server.Output.OnCompleted();
        var clientEnd = await RunUntilEndedAsync(clientIn, "the client's");
        Assert.Null(clientEnd.Error);
        Assert.Equal(Answer, clientIn.Text());
        await RunUntilAsync(serverWritable.WhenCompleted, "the server's Writable completed");
        Assert.Equal(ConnectionCloseReason.LocalClose, (await RunUntilClosedAsync(pair.Client, "the client's")).Reason);
        Assert.Equal(ConnectionCloseReason.PeerClose, (await RunUntilClosedAsync(pair.Server, "the server's")).Reason);
    }

    /// <summary>
    /// Half-close, server first: the server sends "greeting" and completes its output. The client's
    /// input completes with "greeting"; the client then still uploads 256 KiB, which the server
    /// receives while its input stays open, and completes. The server's input completes with every
    /// byte; the server closes with <see cref="ConnectionCloseReason.LocalClose"/>, the client with
    /// <see cref="ConnectionCloseReason.PeerClose"/>.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task HalfClose_ServerFinishesFirst_ClientStillSendsThenBothCloseCleanly()
    {
        const int Upload = 256 * 1024;
        var pair = await OpenAsync();
        var serverIn = Probe(pair.Server.Input, keep: false, pattern: StreamSeed);
        var clientIn = Probe(pair.Client.Input);

        pair.Server.Output.OnNext("greeting"u8.ToArray());
        pair.Server.Output.OnCompleted();

        var clientEnd = await RunUntilEndedAsync(clientIn, "the client's");
        Assert.Null(clientEnd.Error);
        Assert.Equal("greeting", clientIn.Text());

        var upload = new byte[Upload];
        Pattern.Fill(StreamSeed, 0, upload);
        pair.Client.Output.OnNext(upload);
        await RunUntilAsync(serverIn.WhenReceived(Upload), "the server received the upload");
        Assert.False(serverIn.Ended, "the server's input ended before the client finished sending");

        pair.Client.Output.OnCompleted();
        var serverEnd = await RunUntilEndedAsync(serverIn, "the server's");
        Assert.Null(serverEnd.Error);
        Assert.Equal(Upload, serverIn.Count);
        Assert.Equal(-1, serverIn.FirstMismatch);
        Assert.Equal(ConnectionCloseReason.LocalClose, (await RunUntilClosedAsync(pair.Server, "the server's")).Reason);
        Assert.Equal(ConnectionCloseReason.PeerClose, (await RunUntilClosedAsync(pair.Client, "the client's")).Reason);
    }
}
