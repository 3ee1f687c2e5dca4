using System.Net;
using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace RxNet.Demos.Chat;

/// <summary>
/// The classic line chat, usable with <c>nc</c>: a client picks a nickname, then every line it sends
/// reaches the others as <c>&lt;nick&gt; text</c>; joins and leaves are announced; <c>/quit</c> leaves.
/// </summary>
/// <remarks>
/// <para>It only needs an <see cref="IReactor"/>, so the same code serves sockets and the simulated
/// network of RxNet.Testing, where its specs run in virtual time.</para>
/// <para>The shape is Rx's: each connection is an observable of room events (arrived, said, left) made
/// from its <c>LineFrames()</c>; the room is their <c>SelectMany</c> into one serialized stream, folded by
/// a single handler that owns the list of members, so the room itself needs no lock.</para>
/// <para>Limits (see <see cref="ChatOptions"/>): a client whose queue of unsent bytes passes
/// <see cref="ChatOptions.MaxPendingBytes"/> is disconnected as too slow and the others are told why; a
/// line above <see cref="ChatOptions.MaxLineLength"/> gets an error and the connection is closed; a line
/// that is not UTF-8 gets an error and is not sent. The others are served throughout.</para>
/// </remarks>
public sealed class ChatServer
{
    private readonly IReactor _reactor;
    private readonly ChatOptions _options;

    /// <summary>Creates the server.</summary>
    /// <param name="reactor">Where to listen, and the clock of the hang-up timeout.</param>
    /// <param name="options">The limits, or <see langword="null"/> for <see cref="ChatOptions.Default"/>.</param>
    public ChatServer(IReactor reactor, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        _reactor = reactor;
        _options = options ?? ChatOptions.Default;
    }

    /// <summary>The room, served on <paramref name="description"/>.</summary>
    /// <param name="description">Where to listen, as the reactor's endpoint string (<c>tcp:8000</c>).</param>
    /// <param name="onListening">Called with the bound address once listening.</param>
    /// <returns>A cold observable: subscribing listens; each value is a line of the server's log (who
    /// came, who left and why, what was refused); it fails if the port cannot be bound. Disposing the
    /// subscription stops listening and disconnects everyone.</returns>
    /// <exception cref="FormatException">The description is malformed.</exception>
    public IObservable<string> Serve(string description, Action<EndPoint>? onListening = null) =>
        Serve(description, null, onListening, null);

    /// <summary>The room, served on <paramref name="description"/> for line clients and, when
    /// <paramref name="webDescription"/> is given, on it for browsers: an HTTP server whose <c>/</c> is a chat page
    /// and whose <c>/ws</c> WebSocket joins the same room, one text message per line.</summary>
    /// <param name="description">Where to listen for line clients, as the reactor's endpoint string (<c>tcp:8000</c>).</param>
    /// <param name="webDescription">Where to listen for browsers (<c>tcp:8080</c>), or <see langword="null"/> for none.</param>
    /// <param name="onListening">Called with the line door's bound address once listening.</param>
    /// <param name="onWebListening">Called with the browser door's bound address once listening.</param>
    /// <returns>As <see cref="Serve(string, Action{EndPoint}?)"/>: a browser is one more member, named and limited as
    /// the others (a message is a line: <see cref="ChatOptions.MaxLineLength"/> applies to it).</returns>
    /// <exception cref="FormatException">A description is malformed.</exception>
    public IObservable<string> Serve(string description, string? webDescription, Action<EndPoint>? onListening, Action<EndPoint>? onWebListening)
    {
        var endpoint = _reactor.ServerEndpoint(description); // a bad description fails here, at the edge
        var web = webDescription is null ? null : _reactor.ServerEndpoint(webDescription);
        return Observable.Create<string>(log =>
        {
            var room = new Room(_reactor.Scheduler, _options, log.OnNext);
            var connections = endpoint.Listen(onListening);
            if (web is not null)
                connections = connections.Merge(WebDoor.Listen(web, _reactor.Scheduler, onWebListening));
            var serving = connections
                .SelectMany(room.Session)
                .Subscribe(room.Handle, log.OnError);
            return new CompositeDisposable(serving, room);
        });
    }
}
