using System.Reactive;
using System.Text;
using Microsoft.Reactive.Testing;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Testing.Specs.Scripting;

/// <summary>
/// A scripted peer plays expect/send/wait/close steps on one end of a connection: it passes a conversation
/// that follows the script under any chunking, fails with a <see cref="ScriptMismatchException"/> that names
/// the step, the offset and both texts otherwise, and times its waits in virtual time.
/// </summary>
public sealed class PeerScriptSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();

    [Fact]
    public void Run_ClientFollowsTheScript_CompletesAtTheTickOfTheLastStep()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var run = Script.Expect("HELO x\r\n").Send("250 ok\r\n").Expect("QUIT\r\n").Send("221 bye\r\n").Close().ExpectClose()
            .Run(server, _scheduler);
        var outcome = run.Record(_scheduler);
        var replies = client.Input.RecordLines(_scheduler);

        client.Output.OnNext("HELO x\r\n"u8.ToArray());             // 1 ms; arrives at 2 ms, "250 ok" back at 3 ms
        _scheduler.AdvanceTo(3 * Ms);
        client.Output.OnNext("QUIT\r\n"u8.ToArray());               // arrives at 4 ms; "221 bye" and FIN back at 5 ms
        _scheduler.AdvanceTo(5 * Ms);
        client.Output.OnCompleted();                                 // FIN arrives at 6 ms: the script's last step
        _scheduler.Start();

        run.Verify();
        Assert.True(run.IsCompleted);
        Assert.Null(run.Error);
        Assert.Equal([OnNext(6 * Ms, Unit.Default), OnCompleted<Unit>(6 * Ms)], outcome.Messages);
        Assert.Equal([OnNext(3 * Ms, "250 ok"), OnNext(5 * Ms, "221 bye"), OnCompleted<string>(5 * Ms)], replies.Messages);
    }

    [Fact]
    public void Run_DifferentBytes_FailsNamingTheStepTheOffsetAndBothTextsWithACaret()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var run = Script.Expect("HELO x\r\n").Send("250 ok\r\n").Expect("QUIT\r\n").Run(server, _scheduler);

        client.Output.OnNext("HELO x\r\nQUAX\r\n"u8.ToArray());
        _scheduler.Start();

        var error = Assert.Throws<ScriptMismatchException>(run.Verify);
        Assert.Same(run.Error, error);
        Assert.Equal(ScriptMismatchKind.DifferentBytes, error.Kind);
        Assert.Equal(3, error.Step);
        Assert.Equal(2, error.Offset);
        Assert.Equal(10, error.InputOffset);
        Assert.Equal("QUIT\r\n", Encoding.ASCII.GetString(error.Expected.Span));
        Assert.Equal("QUAX\r\n", Encoding.ASCII.GetString(error.Actual.Span));
        Assert.Contains("Script step 3 of 3 (Expect \"QUIT\\r\\n\" (6 bytes)) failed: byte 2 differs (byte 10 of the input).", error.Message, StringComparison.Ordinal);
        string[] lines = error.Message.Split('\n');
        string expectedLine = Assert.Single(lines, l => l.StartsWith("  expected: ", StringComparison.Ordinal));
        string actualLine = Assert.Single(lines, l => l.StartsWith("  actual:   ", StringComparison.Ordinal));
        Assert.Equal("  expected: \"QUIT\\r\\n\"", expectedLine);
        Assert.Equal("  actual:   \"QUAX\\r\\n\"", actualLine);
        string caretLine = lines[Array.IndexOf(lines, actualLine) + 1];
        Assert.Equal(actualLine.IndexOf('A', StringComparison.Ordinal), caretLine.IndexOf('^', StringComparison.Ordinal));
        Assert.Contains("3. Expect \"QUIT\\r\\n\" (6 bytes)   <-- here", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Mismatch_AbortsTheConnectionSoTheOtherSideSeesAReset()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var run = Script.Expect("QUIT\r\n").Run(server, _scheduler);
        var input = client.Input.RecordText(_scheduler);
        var outcome = run.Record(_scheduler);

        client.Output.OnNext("NOOP\r\n"u8.ToArray());
        _scheduler.Start();

        var failed = Assert.Single(outcome.Messages);
        Assert.Equal(2 * Ms, failed.Time);
        Assert.IsType<ScriptMismatchException>(failed.Value.Exception);
        var reset = Assert.Single(input.Messages);
        Assert.Equal(3 * Ms, reset.Time);
        Assert.IsType<ConnectionResetException>(reset.Value.Exception);
    }

    [Fact]
    public void Run_NonPrintableBytesDiffer_ShowsThemEscaped()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var run = Script.Expect([0x00, 0x01, 0xFF, (byte)'"']).Run(server, _scheduler);

        client.Output.OnNext(new byte[] { 0x00, 0x01, 0xFE, (byte)'"' });
        _scheduler.Start();

        var error = Assert.Throws<ScriptMismatchException>(run.Verify);
        Assert.Equal(2, error.Offset);
        Assert.Contains("expected: \"\\x00\\x01\\xff\\\"\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("actual:   \"\\x00\\x01\\xfe\\\"\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OtherSideClosesEarly_FailsWithInputEndedAfterTheBytesThatCame()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var run = Script.Expect("QUIT\r\n").Run(server, _scheduler);

        client.Output.OnNext("QU"u8.ToArray());
        client.Output.OnCompleted();
        _scheduler.Start();

        var error = Assert.Throws<ScriptMismatchException>(run.Verify);
        Assert.Equal(ScriptMismatchKind.InputEnded, error.Kind);
        Assert.Equal(1, error.Step);
        Assert.Equal(2, error.Offset);
        Assert.Equal("QU", Encoding.ASCII.GetString(error.Actual.Span));
        Assert.Contains("the other side finished sending (FIN) after 2 of 6 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OtherSideAborts_FailsWithInputFailedCarryingTheReset()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var run = Script.Expect("QUIT\r\n").Run(server, _scheduler);

        client.Dispose();
        _scheduler.Start();

        var error = Assert.Throws<ScriptMismatchException>(run.Verify);
        Assert.Equal(ScriptMismatchKind.InputFailed, error.Kind);
        Assert.IsType<ConnectionResetException>(error.InnerException);
        Assert.Contains("the input failed after 0 of 6 bytes: ConnectionResetException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ExtraBytesBeforeExpectClose_FailsWithExtraBytesShowingThem()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var run = Script.Expect("QUIT\r\n").ExpectClose().Run(server, _scheduler);

        client.Output.OnNext("QUIT\r\nNOOP\r\n"u8.ToArray());
        client.Output.OnCompleted();
        _scheduler.Start();

        var error = Assert.Throws<ScriptMismatchException>(run.Verify);
        Assert.Equal(ScriptMismatchKind.ExtraBytes, error.Kind);
        Assert.Equal(2, error.Step);
        Assert.Equal(6, error.InputOffset);
        Assert.Equal("NOOP\r\n", Encoding.ASCII.GetString(error.Actual.Span));
        Assert.Contains("6 bytes arrived before the close (from byte 6 of the input)", error.Message, StringComparison.Ordinal);
        Assert.Contains("actual:   \"NOOP\\r\\n\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BytesLeftUnreadAtTheEnd_FailsWithExtraBytesAfterTheLastStep()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var run = Script.Expect("a").Run(server, _scheduler);

        client.Output.OnNext("ab"u8.ToArray());
        _scheduler.Start();

        var error = Assert.Throws<ScriptMismatchException>(run.Verify);
        Assert.Equal(ScriptMismatchKind.ExtraBytes, error.Kind);
        Assert.Equal(2, error.Step);
        Assert.Equal("b", Encoding.ASCII.GetString(error.Actual.Span));
        Assert.StartsWith("The script ran to its end (1 step) but 1 byte more had arrived (from byte 1 of the input).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OneByteSegments_MatchesEveryExpectation()
    {
        var network = new SimulatedNetwork(_scheduler, seed: 3);
        network.Link("client", "server", new LinkOptions { MaxSegmentSize = 1 });
        var (client, server) = network.ConnectPair();
        var run = Script.Expect("HELO example.org\r\n").Send("250 ok\r\n").Expect("QUIT\r\n").ExpectClose().Run(server, _scheduler);

        client.Output.OnNext("HELO example.org\r\nQUIT\r\n"u8.ToArray());
        client.Output.OnCompleted();
        _scheduler.Start();

        run.Verify();
        Assert.All(network.Trace.Where(e => e.Kind == NetworkEventKind.Data), e => Assert.Equal(1, e.Bytes));
        Assert.Equal(24 + 8, network.Trace.Count(e => e.Kind == NetworkEventKind.Data));
    }

    [Fact]
    public void Run_OneByteSegmentsWithAWrongByte_FailsAtThatByteOnly()
    {
        var network = new SimulatedNetwork(_scheduler, seed: 3);
        network.Link("client", "server", new LinkOptions { MaxSegmentSize = 1 });
        var (client, server) = network.ConnectPair();
        var run = Script.Expect("HELO example.org\r\n").Run(server, _scheduler);

        client.Output.OnNext("HELO exampel.org\r\n"u8.ToArray());
        _scheduler.Start();

        var error = Assert.Throws<ScriptMismatchException>(run.Verify);
        Assert.Equal(ScriptMismatchKind.DifferentBytes, error.Kind);
        Assert.Equal(10, error.Offset);
        Assert.Equal("HELO exampe", Encoding.ASCII.GetString(error.Actual.Span)); // what had arrived when the byte differed
    }

    [Fact]
    public void Run_SeveralExpectationsInOneChunk_MatchesEachInTurn()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var run = Script.Expect("a").Expect("bc").Expect("d").Run(server, _scheduler);

        client.Output.OnNext("ab"u8.ToArray());
        client.Output.OnNext("cd"u8.ToArray()); // same turn: one segment "abcd"
        _scheduler.Start();

        run.Verify();
        Assert.Single(network.Trace, e => e.Kind == NetworkEventKind.Data);
    }

    [Fact]
    public void Run_WaitFiftyMilliseconds_SendsExactlyFiftyVirtualMillisecondsAfterTheExpectation()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var run = Script.Expect("ping").Wait(TimeSpan.FromMilliseconds(50)).Send("pong").Run(server, _scheduler);
        var outcome = run.Record(_scheduler);
        var replies = client.Input.RecordText(_scheduler);

        client.Output.OnNext("ping"u8.ToArray()); // arrives at 2 ms: the wait ends at 52 ms, "pong" arrives at 53 ms
        _scheduler.AdvanceTo(53 * Ms - 1);
        Assert.Empty(replies.Messages);
        _scheduler.Start();

        run.Verify();
        Assert.Equal([OnNext(52 * Ms, Unit.Default), OnCompleted<Unit>(52 * Ms)], outcome.Messages);
        Assert.Equal([OnNext(53 * Ms, "pong")], replies.Messages);
    }

    [Fact]
    public void Verify_ScriptStillWaitingForBytes_ThrowsUnfinishedNamingTheStepAndWhatArrived()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var run = Script.Send("220 ready\r\n").Expect("QUIT\r\n").Run(server, _scheduler);

        client.Output.OnNext("QU"u8.ToArray());
        _scheduler.Start();

        var error = Assert.Throws<ScriptMismatchException>(run.Verify);
        Assert.Equal(ScriptMismatchKind.Unfinished, error.Kind);
        Assert.Equal(2, error.Step);
        Assert.Contains("Script step 2 of 2 (Expect \"QUIT\\r\\n\" (6 bytes)) has not finished: 2 of 6 bytes arrived", error.Message, StringComparison.Ordinal);
        Assert.Contains("actual:   \"QU\"", error.Message, StringComparison.Ordinal);
        Assert.Null(run.Error);
    }

    [Fact]
    public void Run_AbortStep_TheOtherSideSeesAResetAndAnExpectResetScriptPasses()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var aborting = Script.Expect("bad\n").Abort().Run(server, _scheduler);
        var expectingReset = Script.Send("bad\n").ExpectReset().Run(client, _scheduler);

        _scheduler.Start();

        aborting.Verify();
        expectingReset.Verify();
    }

    [Fact]
    public void Run_ExpectResetButTheOtherSideClosesCleanly_FailsWithInputEnded()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var run = PeerScript.Empty.ExpectReset().Run(server, _scheduler);

        client.Output.OnCompleted();
        _scheduler.Start();

        var error = Assert.Throws<ScriptMismatchException>(run.Verify);
        Assert.Equal(ScriptMismatchKind.InputEnded, error.Kind);
        Assert.Contains("expected: (a reset)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TwoScriptedPeersTalking_BothComplete()
    {
        var network = new SimulatedNetwork(_scheduler, seed: 9);
        network.Link("client", "server", new LinkOptions { MaxSegmentSize = 3, Latency = TimeSpan.FromMilliseconds(7) });
        var (client, server) = network.ConnectPair();
        var serverRun = Script.Send("220 hi\r\n").Expect("HELO\r\n").Send("250\r\n").Close().ExpectClose().Run(server, _scheduler);
        var clientRun = Script.Expect("220 hi\r\n").Send("HELO\r\n").Expect("250\r\n").ExpectClose().Close().Run(client, _scheduler);

        _scheduler.Start();

        serverRun.Verify();
        clientRun.Verify();
    }

    [Fact]
    public void Script_Extended_LeavesTheOriginalUnchangedAndListsItsSteps()
    {
        var greeting = Script.Send("220 ready\r\n");

        var longer = greeting.Then(Script.Expect("QUIT\r\n")).Wait(TimeSpan.FromSeconds(1)).Close();

        Assert.Equal(1, greeting.Count);
        Assert.Equal(4, longer.Count);
        Assert.Equal(
            "  1. Send \"220 ready\\r\\n\" (11 bytes)\n  2. Expect \"QUIT\\r\\n\" (6 bytes)\n  3. Wait 00:00:01\n  4. Close",
            longer.ToString());
    }

    [Fact]
    public void Script_EmptyExpectation_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => Script.Expect(""));
        Assert.Throws<ArgumentException>(() => PeerScript.Empty.Send(ReadOnlySpan<byte>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => Script.Wait(TimeSpan.FromTicks(-1)));
    }
}
