using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Text;
using System.Text.Unicode;

namespace RxNet.Demos.Chat;

/// <summary>What happens in the room: one connection's events, in the order they happened to it.</summary>
internal abstract record RoomEvent(Member Member);

/// <summary>A connection was accepted.</summary>
internal sealed record Arrived(Member Member) : RoomEvent(Member);

/// <summary>A line of valid UTF-8 came.</summary>
internal sealed record Said(Member Member, string Text) : RoomEvent(Member);

/// <summary>A line that is not UTF-8 came.</summary>
internal sealed record Garbled(Member Member) : RoomEvent(Member);

/// <summary>The bytes broke the framing (a line too long): nothing more is read as lines.</summary>
internal sealed record Refused(Member Member, FramingException Error) : RoomEvent(Member);

/// <summary>The connection's input ended: the peer closed (no error), or it was reset or aborted.</summary>
internal sealed record Departed(Member Member, Exception? Error) : RoomEvent(Member);

/// <summary>The member's queue of unsent bytes passed the limit.</summary>
internal sealed record Overflowed(Member Member, long PendingBytes) : RoomEvent(Member);

/// <summary>One connection and what the room knows of it. Touched only by the room's handler.</summary>
internal sealed class Member(IConnection connection)
{
    public IConnection Connection { get; } = connection;

    public IConnectionOutput Output => Connection.Output;

    public string Peer { get; } = connection.RemoteEndPoint?.ToString() ?? "?";

    /// <summary>Null until the member has picked a name.</summary>
    public string? Nick { get; set; }

    /// <summary>Left the room: nothing more is sent to it or heard from it.</summary>
    public bool Gone { get; set; }

    /// <summary>Marked as too slow; it leaves when the handler gets to it.</summary>
    public bool Overflowing { get; set; }

    public string Name => Nick ?? Peer;
}

/// <summary>
/// The room: the one place that knows who is here. Its <see cref="Handle"/> sees every connection's
/// events through one <c>SelectMany</c>, which calls it for one event at a time; events it causes itself
/// (aborting a slow client fails that client's input at once) wait in a queue until the current one is
/// done, so the member list never changes under a loop.
/// </summary>
internal sealed class Room(IScheduler scheduler, ChatOptions options, Action<string> log) : IDisposable
{
    private static readonly byte[] LineFeed = "\n"u8.ToArray();

    // A last line without its line feed (nc after Ctrl+D) is still a line.
    private readonly LineOptions _lines = LineOptions.Default with { MaxLength = options.MaxLineLength, AcceptUnterminatedLastLine = true };
    private readonly Dictionary<string, Member> _named = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<IConnection> _open = [];
    private readonly Queue<RoomEvent> _inbox = new();
    private bool _handling;
    private bool _disposed;

    /// <summary>One connection as room events: it arrives, says lines, and departs. After a line too long
    /// it is refused, and its input is drained (not cut into lines) until the peer closes.</summary>
    public IObservable<RoomEvent> Session(IConnection connection) => Observable.Defer(() =>
    {
        var member = new Member(connection);
        return connection.Input.Publish(input => input
            .LineFrames(_lines)
            .Select(line => Utf8.IsValid(line.Span) ? new Said(member, Encoding.UTF8.GetString(line.Span)) : (RoomEvent)new Garbled(member))
            .Append(new Departed(member, null))
            .Catch((FramingException error) => Observable.Return<RoomEvent>(new Refused(member, error))
                .Concat(input.LongCount().Select(_ => (RoomEvent)new Departed(member, null))))
            .Catch((Exception error) => Observable.Return<RoomEvent>(new Departed(member, error)))
            .StartWith(new Arrived(member)));
    });

    /// <summary>Applies one event, then any it caused.</summary>
    public void Handle(RoomEvent next)
    {
        _inbox.Enqueue(next);
        if (_handling)
            return;
        _handling = true;
        try
        {
            while (_inbox.TryDequeue(out var e))
                Apply(e);
        }
        finally
        {
            _handling = false;
        }
    }

    /// <summary>Disconnects everyone still connected.</summary>
    public void Dispose()
    {
        IConnection[] open;
        lock (_open)
        {
            _disposed = true;
            open = [.. _open];
            _open.Clear();
        }
        foreach (var connection in open)
            connection.Dispose();
    }

    private void Apply(RoomEvent e)
    {
        var member = e.Member;
        switch (e)
        {
            case Arrived:
                Arrive(member);
                break;
            case Departed departed when !member.Gone:
                Leave(member, departed.Error is null ? "connection closed" : "connection lost: " + departed.Error.Message);
                if (departed.Error is null)
                    member.Output.OnCompleted(); // the peer is done: finish our side so the connection is released
                break;
            case Overflowed overflowed when !member.Gone:
                string reason = string.Create(CultureInfo.InvariantCulture,
                    $"too slow: {overflowed.PendingBytes} bytes waiting, the limit is {options.MaxPendingBytes}");
                Leave(member, reason);
                member.Connection.Dispose(); // drops its queue: the memory goes with it
                break;
            case Refused refused when !member.Gone:
                bool tooLong = refused.Error is FrameTooLargeException;
                log(tooLong ? $"{member.Name} sent a line above the limit: {refused.Error.Message}" : $"{member.Name} sent bad input: {refused.Error.Message}");
                Send(member, $"! {refused.Error.Message} Goodbye.");
                Leave(member, tooLong ? "line too long" : "bad input");
                HangUp(member);
                break;
            case Garbled when !member.Gone:
                Send(member, "! That line is not valid UTF-8; nobody saw it.");
                break;
            case Said said when !member.Gone:
                Hear(member, said.Text);
                break;
        }
    }

    private void Arrive(Member member)
    {
        lock (_open)
        {
            if (_disposed)
            {
                member.Connection.Dispose();
                return;
            }
            _open.Add(member.Connection);
        }
        member.Connection.Closed.Subscribe(_ =>
        {
            lock (_open)
                _open.Remove(member.Connection);
        });
        log($"{member.Peer} connected");
        Send(member, "What's your name?");
    }

    private void Hear(Member member, string text)
    {
        if (member.Nick is null)
        {
            Name(member, text.Trim());
            return;
        }
        if (text.Trim() == "/quit")
        {
            Send(member, "Bye!");
            Leave(member, "quit");
            HangUp(member);
            return;
        }
        Broadcast($"<{member.Nick}> {text}", except: member);
    }

    private void Name(Member member, string nick)
    {
        if (nick.Length == 0 || nick.Length > options.MaxNicknameLength || !nick.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            Send(member, string.Create(CultureInfo.InvariantCulture,
                $"A name is 1 to {options.MaxNicknameLength} letters, digits, '-' or '_'. What's your name?"));
            return;
        }
        if (_named.ContainsKey(nick))
        {
            Send(member, "Name taken, please choose another.");
            return;
        }
        var here = _named.Keys.ToList();
        member.Nick = nick;
        _named.Add(nick, member);
        log($"{nick} joined from {member.Peer}");
        Send(member, here.Count == 0
            ? $"Welcome, {nick}! You are the first one here. Type /quit to leave."
            : $"Welcome, {nick}! Here: {string.Join(", ", here)}. Type /quit to leave.");
        Broadcast($"* {nick} has joined", except: member);
    }

    /// <summary>Takes the member out of the room and tells the others why.</summary>
    private void Leave(Member member, string reason)
    {
        member.Gone = true;
        if (member.Nick is null)
        {
            log($"{member.Peer} left: {reason}");
            return;
        }
        _named.Remove(member.Nick);
        log($"{member.Nick} left: {reason}");
        Broadcast($"* {member.Nick} has left ({reason})", except: null);
    }

    /// <summary>Finishes our side after a goodbye; a peer that does not close its side in time is cut off.</summary>
    private void HangUp(Member member)
    {
        member.Output.OnCompleted();
        member.Connection.Closed
            .Timeout(options.HangUpTimeout, scheduler)
            .Subscribe(_ => { }, _ => member.Connection.Dispose());
    }

    private void Broadcast(string text, Member? except)
    {
        var line = Encode(text);
        foreach (var other in _named.Values)
        {
            if (!ReferenceEquals(other, except))
                Send(other, line);
        }
    }

    private void Send(Member member, string text) => Send(member, Encode(text));

    /// <summary>Queues the line; a member whose queue passes the limit is marked, and leaves once the
    /// event being handled is done.</summary>
    private void Send(Member member, byte[] line)
    {
        if (member.Gone || member.Overflowing)
            return;
        member.Output.OnNext(line);
        long pending = member.Output.PendingBytes;
        if (pending > options.MaxPendingBytes)
        {
            member.Overflowing = true;
            _inbox.Enqueue(new Overflowed(member, pending));
        }
    }

    private static byte[] Encode(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + LineFeed.Length];
        int length = Encoding.UTF8.GetBytes(text, bytes);
        LineFeed.CopyTo(bytes, length);
        return bytes;
    }
}
