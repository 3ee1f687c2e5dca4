using System.Globalization;
using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Runtime.ExceptionServices;

namespace RxNet.Testing;

/// <summary>
/// A listening endpoint whose every connection plays the same <see cref="PeerScript"/>, made by
/// <see cref="PeerScript.Serve"/>: the server side a client protocol is tested against.
/// </summary>
/// <remarks>Each accepted connection gets its own <see cref="ScriptRun"/>, started at the instant of the
/// accept. Disposing the server stops listening, stops every run and aborts its connection.</remarks>
public sealed class ScriptedServer : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ScriptRun> _runs = [];
    private readonly PeerScript _script;
    private readonly IScheduler _scheduler;
    private readonly SingleAssignmentDisposable _listening = new();
    private Exception? _listenError;
    private bool _disposed;

    internal ScriptedServer(PeerScript script, IReactor reactor, IServerEndpoint endpoint)
    {
        _script = script;
        _scheduler = reactor.Scheduler;
        _listening.Disposable = endpoint.Listen(bound => LocalEndPoint = bound).Subscribe(Accept, ListenFailed);
        Exception? failed;
        lock (_gate)
            failed = _listenError;
        if (failed is not null)
        {
            Dispose();
            ExceptionDispatchInfo.Throw(failed);
        }
    }

    /// <summary>The bound address, as the endpoint reported it (the real port when port 0 was asked for).</summary>
    public EndPoint? LocalEndPoint { get; private set; }

    /// <summary>The runs so far, one per accepted connection, in order of acceptance.</summary>
    public IReadOnlyList<ScriptRun> Runs
    {
        get
        {
            lock (_gate)
                return _runs.ToArray();
        }
    }

    /// <summary>Throws unless at least one connection came and every run finished its script.</summary>
    /// <exception cref="ScriptMismatchException">Nobody connected (kind <see cref="ScriptMismatchKind.Unfinished"/>),
    /// or a run failed or has not finished (see <see cref="ScriptRun.Verify"/>).</exception>
    /// <exception cref="IOException">Listening failed after it started.</exception>
    public void Verify()
    {
        ScriptRun[] runs;
        Exception? listenError;
        lock (_gate)
        {
            runs = [.. _runs];
            listenError = _listenError;
        }
        if (listenError is not null)
            ExceptionDispatchInfo.Throw(listenError);
        if (runs.Length == 0)
            throw new ScriptMismatchException($"Nobody connected to the scripted server at {Describe(LocalEndPoint)}.\nScript:\n{_script.Listing(0)}",
                null, ScriptMismatchKind.Unfinished, 1, [], [], 0, 0);
        foreach (var run in runs)
            run.Verify();
    }

    /// <summary>Stops listening, stops every run and aborts its connection. Idempotent.</summary>
    public void Dispose()
    {
        ScriptRun[] runs;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            runs = [.. _runs];
        }
        _listening.Dispose();
        foreach (var run in runs)
        {
            run.Dispose();
            run.Connection.Dispose();
        }
    }

    private static string Describe(EndPoint? endPoint) => endPoint switch
    {
        DnsEndPoint dns => string.Create(CultureInfo.InvariantCulture, $"{dns.Host}:{dns.Port}"),
        null => "(an address not reported)",
        _ => endPoint.ToString() ?? "",
    };

    private void Accept(IConnection connection)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                connection.Dispose();
                return;
            }
            _runs.Add(_script.Run(connection, _scheduler));
        }
    }

    private void ListenFailed(Exception error)
    {
        lock (_gate)
            _listenError = error;
    }
}
