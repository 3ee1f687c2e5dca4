using System.Reactive;
using System.Reactive.Linq;
using Xunit;

namespace RxNet.Testing.Contracts;

public abstract partial class TransportContract
{
    /// <summary>
    /// A peer reset: the server is reading (it has received "ping") when the client disposes its end.
    /// The server's input fails with <see cref="ConnectionResetException"/> after the bytes that
    /// arrived, and the server closes with <see cref="ConnectionCloseReason.Reset"/> carrying that
    /// error; the client closes with <see cref="ConnectionCloseReason.Aborted"/>.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Input_PeerDisposesItsEnd_FailsWithConnectionResetAndClosesAsReset()
    {
        var pair = await OpenAsync();
        var serverIn = Probe(pair.Server.Input);
        pair.Client.Output.OnNext("ping"u8.ToArray());
        await RunUntilAsync(serverIn.WhenReceived(4), "the server received ping");

        pair.Client.Dispose();

        await AssertPeerSawAbortAsync(serverIn, pair.Server, "the server's");
        Assert.Equal("ping", serverIn.Text());
        Assert.Equal(ConnectionCloseReason.Aborted, (await RunUntilClosedAsync(pair.Client, "the client's")).Reason);
    }

    /// <summary>
    /// Dispose aborts: the server writes 64 MiB (far more than any buffers between the ends hold) to a
    /// client that does not read, so output is still pending, then disposes its end. The server closes
    /// with <see cref="ConnectionCloseReason.Aborted"/> at once: its reading input fails with
    /// <see cref="ConnectionAbortedException"/>, nothing is pending any more and
    /// <see cref="IConnectionOutput.Writable"/> completes. The client's input, read only now, fails with
    /// <see cref="ConnectionResetException"/> and the client closes with
    /// <see cref="ConnectionCloseReason.Reset"/>. Disposing again changes nothing.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Dispose_WithPendingOutput_ResetsThePeerAndClosesAsAborted()
    {
        var pair = await OpenAsync();
        var serverIn = Probe(pair.Server.Input);
        var serverWritable = WritableRecorder.Of(pair.Server.Output);
        var block = new byte[1024 * 1024];
        for (int i = 0; i < 64; i++)
            pair.Server.Output.OnNext(block);
        Assert.True(pair.Server.Output.PendingBytes > 0, "nothing was pending, so this would not show an abort");

        pair.Server.Dispose();

        var closed = await RunUntilClosedAsync(pair.Server, "the server's");
        Assert.Equal(ConnectionCloseReason.Aborted, closed.Reason);
        Assert.False(closed.IsClean);
        Assert.IsType<ConnectionAbortedException>((await RunUntilEndedAsync(serverIn, "the server's")).Error);
        Assert.Equal(0, pair.Server.Output.PendingBytes);
        await RunUntilAsync(serverWritable.WhenCompleted, "the server's Writable completed");

        await AssertPeerSawAbortAsync(Probe(pair.Client.Input, keep: false), pair.Client, "the client's");

        pair.Server.Dispose();
        Assert.Equal(ConnectionCloseReason.Aborted, (await RunUntilClosedAsync(pair.Server, "the server's")).Reason);
    }

    /// <summary>
    /// <c>Output.OnError</c> aborts: the server's output is failed with an exception. The server closes
    /// with <see cref="ConnectionCloseReason.Aborted"/> carrying that exception and its input fails with
    /// <see cref="ConnectionAbortedException"/>; the client's input fails with
    /// <see cref="ConnectionResetException"/> and it closes with <see cref="ConnectionCloseReason.Reset"/>.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Output_OnError_AbortsTheConnectionAndResetsThePeer()
    {
        var pair = await OpenAsync();
        var serverIn = Probe(pair.Server.Input);
        var clientIn = Probe(pair.Client.Input);
        var failure = new InvalidOperationException("the producer failed");

        pair.Server.Output.OnError(failure);

        var closed = await RunUntilClosedAsync(pair.Server, "the server's");
        Assert.Equal(ConnectionCloseReason.Aborted, closed.Reason);
        Assert.Same(failure, closed.Error);
        Assert.IsType<ConnectionAbortedException>((await RunUntilEndedAsync(serverIn, "the server's")).Error);
        await AssertPeerSawAbortAsync(clientIn, pair.Client, "the client's");
    }

    /// <summary>
    /// <see cref="IConnection.Closed"/> emits exactly one value, then completes, and replays both to a
    /// subscriber that comes after the close: after an echo of one byte, an early and a late subscriber
    /// each see <see cref="ConnectionCloseReason.LocalClose"/> then completion, and nothing else.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Closed_AfterACleanClose_EmitsExactlyOneValueThenCompletesAndReplaysBoth()
    {
        var pair = await OpenAsync();
        using var echo = pair.Server.Input.Subscribe(pair.Server.Output);
        // Subscribed now, before anything closes; what it saw is read once it has seen the end (a
        // subscriber that comes after the close may be answered before the early ones are).
        var early = pair.Client.Closed.Materialize().ToList().PublishLast();
        using var earlySubscription = early.Connect();
        var clientIn = Probe(pair.Client.Input);

        pair.Client.Output.OnNext("x"u8.ToArray());
        pair.Client.Output.OnCompleted();
        await RunUntilEndedAsync(clientIn, "the client's");
        var closed = await RunUntilClosedAsync(pair.Client, "the client's");

        var late = await RunUntilAsync(pair.Client.Closed.Materialize().ToList(), "a late subscriber saw Closed complete");
        var seenEarly = await RunUntilAsync(early, "the early subscriber saw Closed complete");
        Assert.Equal(ConnectionCloseReason.LocalClose, closed.Reason);
        Assert.Equal([Notification.CreateOnNext(closed), Notification.CreateOnCompleted<ConnectionClosed>()], seenEarly);
        Assert.Equal([Notification.CreateOnNext(closed), Notification.CreateOnCompleted<ConnectionClosed>()], late);
    }

    /// <summary>
    /// Writing after completion is ignored, never thrown: after "sent" and <c>OnCompleted</c>, more
    /// writes and a second <c>OnCompleted</c> return quietly, and the server receives exactly "sent"
    /// before its input completes.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Output_WritesAfterOnCompleted_AreIgnoredWithoutThrowing()
    {
        var pair = await OpenAsync();
        var serverIn = Probe(pair.Server.Input);

        pair.Client.Output.OnNext("sent"u8.ToArray());
        pair.Client.Output.OnCompleted();
        var error = Record.Exception(() =>
        {
            pair.Client.Output.OnNext("too late"u8.ToArray());
            pair.Client.Output.OnNext("still too late"u8.ToArray());
            pair.Client.Output.OnCompleted();
        });

        Assert.Null(error);
        var end = await RunUntilEndedAsync(serverIn, "the server's");
        Assert.Null(end.Error);
        Assert.Equal("sent", serverIn.Text());
    }

    /// <summary>
    /// Writing after <see cref="IDisposable.Dispose"/> is ignored, never thrown: writes,
    /// <c>OnCompleted</c>, <c>OnError</c> and a second <c>Dispose</c> all return quietly, nothing is
    /// pending, and the connection stays closed with <see cref="ConnectionCloseReason.Aborted"/>.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Output_WritesAfterDispose_AreIgnoredWithoutThrowing()
    {
        var pair = await OpenAsync();

        pair.Client.Dispose();
        var error = Record.Exception(() =>
        {
            pair.Client.Output.OnNext("after abort"u8.ToArray());
            pair.Client.Output.OnCompleted();
            pair.Client.Output.OnError(new InvalidOperationException("late"));
            pair.Client.Dispose();
        });

        Assert.Null(error);
        Assert.Equal(0, pair.Client.Output.PendingBytes);
        Assert.Equal(ConnectionCloseReason.Aborted, (await RunUntilClosedAsync(pair.Client, "the client's")).Reason);
    }

    /// <summary>
    /// A subscriber that throws costs only its own connection: the server's subscriber of one connection
    /// throws on "boom!". That connection closes with <see cref="ConnectionCloseReason.Error"/> carrying
    /// the very exception, and its client's input fails with <see cref="ConnectionResetException"/>;
    /// another connection, open all along, still echoes and closes cleanly, and a new one works too.
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task Input_SubscriberThrows_AbortsOnlyThatConnectionWithReasonError()
    {
        var boom = new InvalidOperationException("the subscriber failed");
        var victim = await OpenAsync();
        var bystander = await OpenAsync();
        using var victimSubscription = victim.Server.Input.Subscribe(
            chunk =>
            {
                if (chunk.Span.IndexOf((byte)'!') >= 0)
                    throw boom;
            },
            _ => { });
        using var bystanderEcho = bystander.Server.Input.Subscribe(bystander.Server.Output);
        var victimIn = Probe(victim.Client.Input);
        var bystanderIn = Probe(bystander.Client.Input);

        victim.Client.Output.OnNext("boom!"u8.ToArray());

        var closed = await RunUntilClosedAsync(victim.Server, "the victim's server");
        Assert.Equal(ConnectionCloseReason.Error, closed.Reason);
        Assert.Same(boom, closed.Error);
        await AssertPeerSawAbortAsync(victimIn, victim.Client, "the victim client's");

        bystander.Client.Output.OnNext("still served"u8.ToArray());
        bystander.Client.Output.OnCompleted();
        Assert.Null((await RunUntilEndedAsync(bystanderIn, "the bystander client's")).Error);
        Assert.Equal("still served", bystanderIn.Text());
        Assert.True((await RunUntilClosedAsync(bystander.Server, "the bystander's server")).IsClean);

        var latecomer = await OpenAsync();
        using var latecomerEcho = latecomer.Server.Input.Subscribe(latecomer.Server.Output);
        var latecomerIn = Probe(latecomer.Client.Input);
        latecomer.Client.Output.OnNext("hello"u8.ToArray());
        latecomer.Client.Output.OnCompleted();
        Assert.Null((await RunUntilEndedAsync(latecomerIn, "the latecomer's")).Error);
        Assert.Equal("hello", latecomerIn.Text());
    }

    /// <summary>
    /// The end points of a connection name each other: the client's remote end point is the server's
    /// local one, and the client's local end point the server's remote one (both
    /// <see langword="null"/> where the transport has no addresses).
    /// </summary>
    /// <returns>The spec's run.</returns>
    [Fact]
    public async Task EndPoints_ConnectionPair_NameEachOther()
    {
        var pair = await OpenAsync();

        Assert.Equal(pair.Server.LocalEndPoint, pair.Client.RemoteEndPoint);
        Assert.Equal(pair.Client.LocalEndPoint, pair.Server.RemoteEndPoint);
    }
}
