using System.Globalization;
using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Demos.Chat;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Testing.Specs.Chat;

/// <summary>
/// demos/Chat's room, unchanged, on a simulated network in virtual time: clients on their own hosts,
/// 1 ms links, and every line asserted at the tick it arrives. A line sent at t reaches the server at
/// t + 1 ms and the other clients at t + 2 ms.
/// </summary>
public sealed class ChatServerSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const string Endpoint = "tcp:6667";

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;

    public ChatServerSpecs() => _network = new SimulatedNetwork(_scheduler);

    [Fact]
    public void ChatServer_ThreeClientsOneNeverReads_TheSlowOneIsDroppedWithTheReasonWhileTheOthersGetEveryMessageOnTime()
    {
        const int Window = 512; // what the slow client's host keeps unread before the server's queue grows
        const int Limit = 512;
        const int Rounds = 40;
        _network.ReceiveWindow = Window;
        var log = Serve(ChatOptions.Default with { MaxPendingBytes = Limit });
        var alice = Join("alice", at: 5);
        var bob = Join("bob", at: 10);
        var slow = Join("slow", at: 20, reads: false);
        for (int i = 0; i < Rounds; i++)
        {
            Say(alice, 100 + (10 * i), Message(i));
            Say(bob, 105 + (10 * i), Message(i));
        }

        _scheduler.AdvanceTo(1_000 * Ms);

        // Every byte for the slow client counts: its host takes the first Window bytes, the rest waits in
        // the server's queue, and the message that takes the queue past Limit gets it dropped at once.
        long toSlow = Bytes("What's your name?") + Bytes("Welcome, slow! Here: alice, bob. Type /quit to leave.");
        var aliceExpected = new List<Recorded<Notification<string>>>
        {
            OnNext(7 * Ms, "What's your name?"),
            OnNext(8 * Ms, "Welcome, alice! You are the first one here. Type /quit to leave."),
            OnNext(13 * Ms, "* bob has joined"),
            OnNext(23 * Ms, "* slow has joined"),
        };
        var bobExpected = new List<Recorded<Notification<string>>>
        {
            OnNext(12 * Ms, "What's your name?"),
            OnNext(13 * Ms, "Welcome, bob! Here: alice. Type /quit to leave."),
            OnNext(23 * Ms, "* slow has joined"),
        };
        string? reason = null;
        long dropAt = 0;
        for (int i = 0; i < Rounds; i++)
        {
            foreach (var (from, to, at) in new[] { ("alice", bobExpected, 100 + (10 * i)), ("bob", aliceExpected, 105 + (10 * i)) })
            {
                string line = $"<{from}> {Message(i)}";
                to.Add(OnNext((at + 2) * Ms, line));
                if (reason is not null)
                    continue;
                toSlow += Bytes(line);
                if (toSlow - Window > Limit)
                {
                    reason = string.Create(CultureInfo.InvariantCulture, $"too slow: {toSlow - Window} bytes waiting, the limit is {Limit}");
                    dropAt = at + 1;
                    to.Add(OnNext((at + 2) * Ms, $"* slow has left ({reason})")); // right after the line that did it
                    (to == bobExpected ? aliceExpected : bobExpected).Add(OnNext((at + 2) * Ms, $"* slow has left ({reason})"));
                }
            }
        }
        Assert.NotNull(reason);
        Assert.InRange(dropAt, 100, 100 + (10 * Rounds) - 100); // well before the end: the others went on long after
        Assert.Equal(aliceExpected, alice.Lines!.Messages);
        Assert.Equal(bobExpected, bob.Lines!.Messages);
        Assert.Equal([OnNext((dropAt + 1) * Ms, ConnectionCloseReason.Reset), OnCompleted<ConnectionCloseReason>((dropAt + 1) * Ms)], slow.Closed!.Messages);
        Assert.Contains(OnNext(dropAt * Ms, $"slow left: {reason}"), log.Messages);
    }

    [Fact]
    public void ChatServer_ALineAboveTheLimit_ThatClientGetsTheErrorAndIsClosedWhileTheOthersChatOn()
    {
        var log = Serve(ChatOptions.Default with { MaxLineLength = 10 });
        var alice = Join("alice", at: 5);
        var bob = Join("bob", at: 10);
        var carol = Join("carol", at: 20);
        Say(bob, 100, "this line is too long");
        Say(alice, 200, "still here");

        _scheduler.AdvanceTo(1_000 * Ms);

        const string Error = "A line of 21 bytes or more is above the limit of 10 bytes.";
        Assert.Equal([
            OnNext(12 * Ms, "What's your name?"),
            OnNext(13 * Ms, "Welcome, bob! Here: alice. Type /quit to leave."),
            OnNext(23 * Ms, "* carol has joined"),
            OnNext(102 * Ms, $"! {Error} Goodbye."),
            OnCompleted<string>(102 * Ms)], bob.Lines!.Messages);
        Assert.Equal([
            OnNext(102 * Ms, "* bob has left (line too long)"),
            OnNext(202 * Ms, "<alice> still here")], carol.Lines!.Messages.TakeLast(2));
        Assert.Equal(OnNext(102 * Ms, "* bob has left (line too long)"), alice.Lines!.Messages[^1]);
        Assert.Contains(OnNext(101 * Ms, $"bob sent a line above the limit: {Error}"), log.Messages);
    }

    [Fact]
    public void ChatServer_ALineThatIsNotUtf8_ThatClientGetsAnErrorAndNobodySeesItButItStays()
    {
        Serve();
        var alice = Join("alice", at: 5);
        var bob = Join("bob", at: 10);
        _scheduler.ScheduleAbsolute(100 * Ms, () => bob.Connection!.Output.OnNext(new byte[] { 0x66, 0xC3, 0x28, 0x0A }));
        Say(bob, 110, "fine");

        _scheduler.AdvanceTo(1_000 * Ms);

        Assert.Equal(OnNext(102 * Ms, "! That line is not valid UTF-8; nobody saw it."), bob.Lines!.Messages[^1]);
        Assert.Equal(OnNext(112 * Ms, "<bob> fine"), alice.Lines!.Messages[^1]);
        Assert.Equal(4, alice.Lines.Messages.Count);
    }

    [Fact]
    public void ChatServer_ALastLineWithoutItsLineFeed_IsStillSaidBeforeTheLeave()
    {
        Serve();
        var alice = Join("alice", at: 5);
        var bob = Join("bob", at: 10);
        _scheduler.ScheduleAbsolute(100 * Ms, () =>
        {
            bob.Connection!.Output.OnNext("see you"u8.ToArray()); // nc after Ctrl+D: no line feed, then FIN
            bob.Connection.Output.OnCompleted();
        });

        _scheduler.AdvanceTo(1_000 * Ms);

        Assert.Equal([
            OnNext(102 * Ms, "<bob> see you"),
            OnNext(102 * Ms, "* bob has left (connection closed)")], alice.Lines!.Messages.TakeLast(2));
        Assert.Equal(OnCompleted<string>(102 * Ms), bob.Lines!.Messages[^1]); // the server finishes its side when it sees the FIN
    }

    [Fact]
    public void ChatServer_NameTakenOrInvalid_AsksAgainUntilItGetsAGoodOne()
    {
        Serve();
        var alice = Join("alice", at: 5);
        var other = Join("ALICE", at: 10);
        Say(other, 20, "al ice");
        Say(other, 30, "carol");

        _scheduler.AdvanceTo(1_000 * Ms);

        Assert.Equal([
            OnNext(12 * Ms, "What's your name?"),
            OnNext(13 * Ms, "Name taken, please choose another."),
            OnNext(22 * Ms, "A name is 1 to 20 letters, digits, '-' or '_'. What's your name?"),
            OnNext(32 * Ms, "Welcome, carol! Here: alice. Type /quit to leave.")], other.Lines!.Messages);
        Assert.Equal(OnNext(32 * Ms, "* carol has joined"), alice.Lines!.Messages[^1]);
    }

    [Fact]
    public void ChatServer_Quit_SaysByeClosesAndTellsTheOthers()
    {
        var log = Serve();
        var alice = Join("alice", at: 5);
        var bob = Join("bob", at: 10);
        Say(bob, 100, "/quit");
        _scheduler.ScheduleAbsolute(150 * Ms, () => bob.Connection!.Output.OnCompleted()); // nc -N: stdin ended

        _scheduler.AdvanceTo(1_000 * Ms);

        Assert.Equal([OnNext(102 * Ms, "Bye!"), OnCompleted<string>(102 * Ms)], bob.Lines!.Messages.TakeLast(2));
        Assert.Equal(OnNext(102 * Ms, "* bob has left (quit)"), alice.Lines!.Messages[^1]);
        // Bob's FIN leaves with the flush of his turn at 150 ms, which the TestScheduler runs one tick later.
        Assert.Equal([OnNext((150 * Ms) + 1, ConnectionCloseReason.PeerClose), OnCompleted<ConnectionCloseReason>((150 * Ms) + 1)], bob.Closed!.Messages);
        Assert.Contains(OnNext(101 * Ms, "bob left: quit"), log.Messages);
    }

    [Fact]
    public void ChatServer_AClientThatNeverHangsUpAfterQuit_IsCutOffAfterTheHangUpTimeout()
    {
        Serve(ChatOptions.Default with { HangUpTimeout = TimeSpan.FromSeconds(5) });
        var bob = Join("bob", at: 5);
        Say(bob, 100, "/quit");

        _scheduler.AdvanceTo(10_000 * Ms);

        // Bob's input ended cleanly with the server's FIN at 102 ms, so his side reports PeerClose; it does so
        // only when the server cuts the connection, 5 s after the goodbye, since Bob never closes his side.
        Assert.Equal([OnNext(5_102 * Ms, ConnectionCloseReason.PeerClose), OnCompleted<ConnectionCloseReason>(5_102 * Ms)], bob.Closed!.Messages);
    }

    [Fact]
    public void ChatServer_Disposed_StopsListeningAndDisconnectsEveryone()
    {
        var serving = new ChatServer(_network.Host("server").Reactor).Serve(Endpoint).Subscribe();
        var alice = Join("alice", at: 5);
        _scheduler.ScheduleAbsolute(50 * Ms, serving.Dispose);
        var late = Join("late", at: 60);

        _scheduler.AdvanceTo(1_000 * Ms);

        Assert.Equal([OnNext(51 * Ms, ConnectionCloseReason.Reset), OnCompleted<ConnectionCloseReason>(51 * Ms)], alice.Closed!.Messages);
        Assert.Null(late.Connection);
        Assert.IsType<ConnectionRefusedException>(late.ConnectError);
    }

    [Fact]
    public void ChatServer_BrowserThroughTheWebDoor_JoinsTalksAndQuitsBesideALineClient()
    {
        var log = new ChatServer(_network.Host("server").Reactor).Serve(Endpoint, "tcp:8080", null, null).Record(_scheduler);
        var alice = Join("alice", at: 5);
        var browser = Browser(at: 50, "GET /ws HTTP/1.1\r\nHost: server\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        SayInAFrame(browser, 100, "carol");
        SayInAFrame(browser, 200, "hello from the web");
        Say(alice, 300, "hi carol");
        SayInAFrame(browser, 400, "/quit");

        _scheduler.AdvanceTo(1_000 * Ms);

        Assert.Equal([
            OnNext(102 * Ms, "* carol has joined"),
            OnNext(202 * Ms, "<carol> hello from the web"),
            OnNext(402 * Ms, "* carol has left (quit)")], alice.Lines!.Messages.Skip(2));
        Assert.Equal([
            "What's your name?", "Welcome, carol! Here: alice. Type /quit to leave.", "<alice> hi carol", "Bye!", "close 1000"],
            Frames(browser));
        Assert.Contains(log.Messages, m => m.Value.Value.StartsWith("carol joined from ", StringComparison.Ordinal));
    }

    [Fact]
    public void ChatServer_WebDoorRoot_IsTheChatPage()
    {
        new ChatServer(_network.Host("server").Reactor).Serve(Endpoint, "tcp:8080", null, null).Record(_scheduler);
        var browser = Browser(at: 5, "GET / HTTP/1.1\r\nHost: server\r\n\r\n");

        _scheduler.AdvanceTo(100 * Ms);

        string page = Encoding.UTF8.GetString([.. browser.Received]);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", page, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/html; charset=utf-8\r\n", page, StringComparison.Ordinal);
        Assert.Contains("new WebSocket(", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", page.Split("\r\n\r\n")[1], StringComparison.Ordinal); // no external URL
    }

    private ITestableObserver<string> Serve(ChatOptions? options = null) =>
        new ChatServer(_network.Host("server").Reactor, options).Serve(Endpoint).Record(_scheduler);

    /// <summary>Connects from host <paramref name="nick"/> at <paramref name="at"/> ms and sends the nickname
    /// as soon as it is connected (one latency later); records the lines it gets unless it never reads.</summary>
    private Client Join(string nick, long at, bool reads = true)
    {
        var client = new Client();
        _scheduler.ScheduleAbsolute(at * Ms, () => _network.Host(nick.ToLowerInvariant() + "-host").Reactor
            .ClientEndpoint("tcp:host=server:port=6667").Connect()
            .Subscribe(
                connection =>
                {
                    client.Connection = connection;
                    client.Closed = connection.Closed.Select(c => c.Reason).Record(_scheduler);
                    if (reads)
                        client.Lines = connection.Input.RecordLines(_scheduler);
                    connection.Output.OnNext(Encoding.UTF8.GetBytes(nick + "\n"));
                },
                error => client.ConnectError = error));
        return client;
    }

    private void Say(Client client, long at, string text) =>
        _scheduler.ScheduleAbsolute(at * Ms, () => client.Connection!.Output.OnNext(Encoding.UTF8.GetBytes(text + "\n")));

    /// <summary>A browser's connection to the web door from its own host: sends <paramref name="request"/> at
    /// <paramref name="at"/> ms and keeps every byte it reads.</summary>
    private WebClient Browser(long at, string request)
    {
        var client = new WebClient();
        _scheduler.ScheduleAbsolute(at * Ms, () => _network.Host("browser-host").Reactor.ClientEndpoint("tcp:host=server:port=8080").Connect()
            .Subscribe(connection =>
            {
                client.Connection = connection;
                connection.Input.Subscribe(chunk => client.Received.AddRange(chunk.ToArray()));
                connection.Output.OnNext(Encoding.ASCII.GetBytes(request));
            }));
        return client;
    }

    /// <summary>Sends <paramref name="text"/> as one masked text frame (key 0, so the payload reads as it is).</summary>
    private void SayInAFrame(WebClient client, long at, string text)
    {
        byte[] payload = Encoding.UTF8.GetBytes(text);
        _scheduler.ScheduleAbsolute(at * Ms, () => client.Connection!.Output.OnNext((byte[])[0x81, (byte)(0x80 | payload.Length), 0, 0, 0, 0, .. payload]));
    }

    /// <summary>The server's frames after the 101 head: a text frame as its text, a close frame as "close CODE".</summary>
    private static List<string> Frames(WebClient client)
    {
        byte[] bytes = [.. client.Received];
        string head = Encoding.Latin1.GetString(bytes);
        Assert.StartsWith("HTTP/1.1 101 ", head, StringComparison.Ordinal);
        var frames = new List<string>();
        for (int at = head.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4; at < bytes.Length;)
        {
            int length = bytes[at + 1]; // short frames, unmasked: a server's
            var payload = bytes.AsSpan(at + 2, length);
            frames.Add((bytes[at] & 0x0F) == 8
                ? string.Create(CultureInfo.InvariantCulture, $"close {(payload[0] << 8) | payload[1]}")
                : Encoding.UTF8.GetString(payload));
            at += 2 + length;
        }
        return frames;
    }

    private static string Message(int i) => string.Create(CultureInfo.InvariantCulture, $"message {i:D2}");

    private static long Bytes(string line) => Encoding.UTF8.GetByteCount(line) + 1;

    private sealed class Client
    {
        public IConnection? Connection { get; set; }

        public ITestableObserver<string>? Lines { get; set; }

        public ITestableObserver<ConnectionCloseReason>? Closed { get; set; }

        public Exception? ConnectError { get; set; }
    }

    private sealed class WebClient
    {
        public IConnection? Connection { get; set; }

        public List<byte> Received { get; } = [];
    }
}
