using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RxNet.Sockets.Internal;
using RxNet.Transport;

namespace RxNet.Sockets;

/// <summary>A Unix domain (stream) socket server endpoint: Twisted's <c>UNIXServerEndpoint</c>.</summary>
/// <remarks>
/// Listening creates the socket file with <see cref="Mode"/>; closing the listener removes it. A socket
/// file left behind by a dead process is replaced: it is stale when nothing accepts on it (or, with
/// <see cref="LockFile"/>, also no live process holds <c>PATH.lock</c>). A live server's socket, or a
/// path that is not a socket at all, is never removed: listening fails with <see cref="IOException"/>.
/// </remarks>
public sealed class UnixServerEndpoint : IServerEndpoint
{
    private readonly StreamListener _listener;
    private readonly ILogger _logger;

    /// <summary>Creates an endpoint that listens on the socket file <paramref name="path"/>.</summary>
    /// <param name="path">The socket file's path.</param>
    /// <param name="mode">The file's permissions once bound; 0666 by default, as in Twisted.</param>
    /// <param name="lockFile">Also hold <c>PATH.lock</c> while listening (Twisted's <c>lockfile=1</c>).</param>
    /// <param name="options">Listen backlog, flow control, logging and metrics (TCP-only options are ignored).</param>
    public UnixServerEndpoint(string path, UnixFileMode mode = DefaultMode, bool lockFile = false, TcpOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Mode = mode;
        LockFile = lockFile;
        Options = options ?? TcpOptions.Default;
        Options.Connection.Validate();
        _logger = Options.LoggerFactory.CreateLogger<UnixServerEndpoint>();
        _listener = new StreamListener(path, Options, _logger, ConnectionMetrics.For(Options.MeterFactory));
    }

    /// <summary>Read and write for everyone: Twisted's default <c>0666</c>. The mode is applied with <c>chmod</c>
    /// after bind, so the process's umask does not narrow it.</summary>
    public const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead
        | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>The socket file's path.</summary>
    public string Path { get; }

    /// <summary>The socket file's permissions.</summary>
    public UnixFileMode Mode { get; }

    /// <summary>Whether <c>PATH.lock</c> is held while listening.</summary>
    public bool LockFile { get; }

    /// <summary>Listen backlog, flow control, logging and metrics.</summary>
    public TcpOptions Options { get; }

    /// <summary>Parses <c>unix:PATH</c> or <c>unix:address=PATH:mode=660:lockfile=1:backlog=50</c> (Twisted's keys;
    /// the mode is octal), with <c>sndbuf=BYTES</c> and <c>rcvbuf=BYTES</c> for the accepted sockets' kernel buffers.</summary>
    /// <param name="description">The endpoint string.</param>
    /// <param name="options">Options the string's parameters override.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">The string is malformed; the message points at the bad part.</exception>
    public static UnixServerEndpoint Parse(string description, TcpOptions? options = null) =>
        Parse(EndpointDescription.Parse(description), options);

    /// <summary>Makes the endpoint a parsed <c>unix:</c> description names; see <see cref="Parse(string, TcpOptions?)"/>.</summary>
    /// <param name="d">The parsed description.</param>
    /// <param name="options">Options the description's parameters override.</param>
    /// <inheritdoc cref="Parse(string, TcpOptions?)" path="/returns|/exception"/>
    public static UnixServerEndpoint Parse(EndpointDescription d, TcpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (d.Scheme != "unix")
            throw d.Invalid(d.Scheme, "a Unix socket endpoint starts with 'unix:'");
        options ??= TcpOptions.Default;
        string path = UnixSockets.ReadPath(d, "address", "unix:/run/app.sock");
        d.CheckKeys("a Unix socket server", ["address", "mode", "lockfile", "backlog", .. BufferSizeParameters.Keys]);
        var mode = DefaultMode;
        if (d.Parameters.TryGetValue("mode", out var modeText))
            mode = (UnixFileMode)d.ReadOctal("mode", modeText, 0x1FF);
        bool lockFile = d.Parameters.TryGetValue("lockfile", out var lockText) && d.ReadInt32("lockfile", lockText, 0, 1) == 1;
        if (d.Parameters.TryGetValue("backlog", out var backlog))
            options = options with { Backlog = d.ReadInt32("backlog", backlog, 1, 65535) };
        return new UnixServerEndpoint(path, mode, lockFile, BufferSizeParameters.Read(d, options));
    }

    /// <inheritdoc/>
    public IObservable<IConnection> Listen(Action<EndPoint>? onListening = null) =>
        Listeners.Exclusive(System.Reactive.Linq.Observable.Defer(() =>
        {
            FileStream? lockHandle = null;
            return _listener.Listen(() => Bind(ref lockHandle), onListening, () =>
            {
                // .NET unlinks a socket file it bound when the socket closes; this covers the rest.
                if (UnixSockets.Existing(Path) == FileKind.Socket)
                    File.Delete(Path);
                ReleaseLock(lockHandle);
            });
        }), ToString());

    /// <summary>The endpoint string of this endpoint, which parses back to the same endpoint:
    /// <c>unix:/run/app.sock:mode=660:lockfile=0:backlog=512</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => EndpointDescription.Format("unix", [Path],
        [("mode", Convert.ToString((int)Mode, 8)),
        ("lockfile", LockFile ? "1" : "0"),
        ("backlog", Options.Backlog.ToString(CultureInfo.InvariantCulture)), .. BufferSizeParameters.Print(Options)]);

    private Socket Bind(ref FileStream? lockHandle)
    {
        if (LockFile)
            lockHandle = TakeLock();
        try
        {
            RemoveStaleSocket();
            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                listener.Bind(new UnixDomainSocketEndPoint(Path));
                if (!OperatingSystem.IsWindows())
                    File.SetUnixFileMode(Path, Mode);
                listener.Listen(Options.Backlog);
                return listener;
            }
            catch
            {
                listener.Dispose();
                throw;
            }
        }
        catch
        {
            ReleaseLock(lockHandle); // the socket file, if any, is someone else's
            throw;
        }
    }

    private FileStream TakeLock()
    {
        string lockPath = Path + ".lock";
        try
        {
            // FileShare.None takes an exclusive advisory lock on Unix: held until this process closes it or dies.
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"Cannot listen on {Path}: another process holds {lockPath}.", e);
        }
    }

    /// <summary>Removes a socket file no live server accepts on; refuses to touch anything else.</summary>
    private void RemoveStaleSocket()
    {
        var existing = UnixSockets.Existing(Path);
        if (existing == FileKind.None)
            return;
        if (existing != FileKind.Socket)
            throw new IOException($"Cannot listen on {Path}: the path exists and is not a socket, so it was left alone.");
        if (UnixSockets.Accepts(Path)) // even with our lock held: a server started without lockfile=1 may live there
            throw new IOException($"Cannot listen on {Path}: a live server is accepting on it.");
        Log.RemovedStaleSocket(_logger, Path);
        File.Delete(Path);
    }

    private static void ReleaseLock(FileStream? lockHandle)
    {
        if (lockHandle is not null)
        {
            File.Delete(lockHandle.Name);
            lockHandle.Dispose();
        }
    }
}
