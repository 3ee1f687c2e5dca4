using System.Reactive.Linq;
using Xunit;

namespace RxNet.Testing.Contracts;

public abstract partial class TransportContract
{
    /// <summary>
    /// <see cref="IConnection.Close"/> does not wait for the peer: the server writes 200 000 bytes and closes while the
    /// client reads and keeps its own end open. The server closes as <see cref="ConnectionCloseReason.LocalClose"/>,
    /// cleanly, and its input completes; the client gets every byte, then the end of the stream (no reset), and closes
    /// as <see cref="ConnectionCloseReason.PeerClose"/> once it completes its own output.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Close_WhileThePeerKeepsItsEndOpen_SendsEverythingThenReleasesWithoutWaiting()
    {
        var pair = await OpenAsync();
        var serverIn = Probe(pair.Server.Input);
        var clientIn = Probe(pair.Client.Input);
        var data = new byte[200_000];
        Pattern.Fill(StreamSeed, 0, data);

        pair.Server.Output.OnNext(data);
        pair.Server.Close();

        var closed = await RunUntilClosedAsync(pair.Server, "the server's");
        Assert.Equal(ConnectionCloseReason.LocalClose, closed.Reason);
        Assert.True(closed.IsClean);
        Assert.Null((await RunUntilEndedAsync(serverIn, "the server's")).Error);
        var clientEnd = await RunUntilEndedAsync(clientIn, "the client's");
        Assert.Null(clientEnd.Error);
        Assert.Equal(data, clientIn.Bytes());
        pair.Client.Output.OnCompleted();
        Assert.Equal(ConnectionCloseReason.PeerClose, (await RunUntilClosedAsync(pair.Client, "the client's")).Reason);
    }

    /// <summary>
    /// <see cref="IConnection.Close"/> after a half-close: the server completes its output, the client reads to the end
    /// and keeps its end open, so the server waits, half-closed; closing it then releases it at once, as
    /// <see cref="ConnectionCloseReason.LocalClose"/>.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Close_AfterHalfClosing_ReleasesWithoutWaitingForThePeersEnd()
    {
        var pair = await OpenAsync();
        var clientIn = Probe(pair.Client.Input);
        pair.Server.Output.OnNext("bye"u8.ToArray());
        pair.Server.Output.OnCompleted();
        Assert.Null((await RunUntilEndedAsync(clientIn, "the client's")).Error);

        pair.Server.Close();

        var closed = await RunUntilClosedAsync(pair.Server, "the server's");
        Assert.Equal(ConnectionCloseReason.LocalClose, closed.Reason);
        Assert.Equal("bye", clientIn.Text());
    }

    /// <summary>
    /// The recipe to send, read a reply and close: the client writes a line to an echo server, reads the reply line,
    /// then calls <see cref="IConnection.Close"/>. Neither side hangs or sees a reset: the client closes as
    /// <see cref="ConnectionCloseReason.LocalClose"/>, the server's input completes and it closes as
    /// <see cref="ConnectionCloseReason.PeerClose"/>.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Close_AfterReadingTheReply_ClosesBothSidesCleanly()
    {
        var pair = await OpenAsync();
        var serverIn = new InputProbe();
        using var echo = pair.Server.Input.Subscribe(System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(
            chunk => { serverIn.OnNext(chunk); pair.Server.Output.OnNext(chunk); },
            error => { serverIn.OnError(error); pair.Server.Output.OnError(error); },
            () => { serverIn.OnCompleted(); pair.Server.Output.OnCompleted(); }));

        pair.Client.Output.WriteLine("hello");
        var reply = await RunUntilAsync(pair.Client.Input.Lines(), "the client read the reply");
        pair.Client.Close();

        var client = await RunUntilClosedAsync(pair.Client, "the client's");
        var server = await RunUntilClosedAsync(pair.Server, "the server's");
        Assert.Equal("hello", reply);
        Assert.Equal(ConnectionCloseReason.LocalClose, client.Reason);
        Assert.Null((await RunUntilEndedAsync(serverIn, "the server's")).Error);
        Assert.Equal(ConnectionCloseReason.PeerClose, server.Reason);
        Assert.True(server.IsClean);
    }

    /// <summary>
    /// The next subscriber can subscribe at once from inside the first one's last <c>OnNext</c> (as the code after
    /// <c>await input.Lines().FirstAsync()</c> runs): the client sends "one\r\ntwo\r\n"; the server takes the first line
    /// with <c>Lines().FirstAsync()</c> and, inside its <c>OnNext</c>, subscribes the input again, which is let in (no
    /// unicast error) and gets every later byte, the rest of the first chunk included, then what the client sends next
    /// and the end.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Input_SubscribedFromInsideTheFirstSubscribersLastOnNext_GetsEveryLaterByte()
    {
        var pair = await OpenAsync();
        var lines = new List<string>();
        var rest = new InputProbe();
        using var first = pair.Server.Input.Lines().FirstAsync().Subscribe(line =>
        {
            lines.Add(line);
            rest.SubscribeTo(pair.Server.Input);
        });

        pair.Client.Output.OnNext("one\r\ntwo\r\n"u8.ToArray());
        await RunUntilAsync(rest.WhenReceived(5), "the second subscriber received the second line");
        pair.Client.Output.OnNext("three"u8.ToArray());
        pair.Client.Output.OnCompleted();

        var end = await RunUntilEndedAsync(rest, "the second subscriber's");
        Assert.Null(end.Error);
        Assert.Equal(["one"], lines);
        Assert.Equal("two\r\nthree", rest.Text());
    }
}
