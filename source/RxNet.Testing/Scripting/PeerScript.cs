using System.Collections.Immutable;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Text;

namespace RxNet.Testing;

/// <summary>
/// What a scripted peer does, step by step: expect these bytes, send those, wait, close. Twisted's
/// <c>StringTransport</c> checks and tokio-test's <c>io::Builder</c> as the other end of a real connection.
/// </summary>
/// <remarks>
/// <para>A script is an immutable value: every method returns a new, longer script, so one script can be
/// shared, extended and played on any number of connections at once. Start one with
/// <see cref="Script"/> (<c>Script.Expect("HELO x\r\n").Send("250 ok\r\n")</c>) or <see cref="Empty"/>.</para>
/// <para><see cref="Run"/> plays it on any <see cref="IConnection"/>, simulated or real;
/// <see cref="Serve"/> plays it on every connection a listening endpoint accepts, so a client protocol can
/// be tested against it. Steps from the peer's side: <see cref="Expect(string)"/> reads what the code
/// under test must send, <see cref="Send(string)"/> writes what it will read.</para>
/// <para><b>Matching.</b> Expectations hold under any chunking: bytes may arrive one at a time or several
/// expectations' worth in one chunk; what an expectation does not use is kept for the next step. A byte
/// that differs fails the run at once. Bytes that arrive during <see cref="Send(string)"/> or
/// <see cref="Wait"/> steps are kept for the next expectation. A run fails when bytes are left unread at
/// the script's end; end a script with <see cref="ExpectClose"/> to require that nothing more arrives at all.</para>
/// </remarks>
public sealed class PeerScript
{
    private readonly ImmutableArray<ScriptStep> _steps;

    private PeerScript(ImmutableArray<ScriptStep> steps) => _steps = steps;

    /// <summary>The script with no steps.</summary>
    public static PeerScript Empty { get; } = new([]);

    /// <summary>The number of steps.</summary>
    public int Count => _steps.Length;

    internal ImmutableArray<ScriptStep> Steps => _steps;

    /// <summary>Expects the other side to send <paramref name="text"/>'s UTF-8 bytes next.</summary>
    /// <param name="text">The text expected; not empty.</param>
    /// <returns>The longer script.</returns>
    /// <exception cref="ArgumentException"><paramref name="text"/> is null or empty.</exception>
    public PeerScript Expect(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return Add(new ScriptStep(ScriptStepKind.Expect, Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Expects the other side to send <paramref name="bytes"/> next.</summary>
    /// <param name="bytes">The bytes expected (copied); not empty. <c>"..."u8</c> literals and arrays fit.</param>
    /// <returns>The longer script.</returns>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is empty.</exception>
    public PeerScript Expect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            throw new ArgumentException("An expectation needs at least one byte.", nameof(bytes));
        return Add(new ScriptStep(ScriptStepKind.Expect, bytes.ToArray()));
    }

    /// <summary>Sends <paramref name="text"/>'s UTF-8 bytes to the other side.</summary>
    /// <param name="text">The text to send; not empty.</param>
    /// <returns>The longer script.</returns>
    /// <exception cref="ArgumentException"><paramref name="text"/> is null or empty.</exception>
    public PeerScript Send(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return Add(new ScriptStep(ScriptStepKind.Send, Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Sends <paramref name="bytes"/> to the other side.</summary>
    /// <param name="bytes">The bytes to send (copied); not empty.</param>
    /// <returns>The longer script.</returns>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is empty.</exception>
    public PeerScript Send(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            throw new ArgumentException("A send needs at least one byte.", nameof(bytes));
        return Add(new ScriptStep(ScriptStepKind.Send, bytes.ToArray()));
    }

    /// <summary>Waits <paramref name="delay"/> on the run's scheduler (virtual time on a <c>TestScheduler</c>)
    /// before the next step. Bytes that arrive meanwhile are kept for the next expectation.</summary>
    /// <param name="delay">How long to wait; not negative.</param>
    /// <returns>The longer script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public PeerScript Wait(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return Add(new ScriptStep(ScriptStepKind.Wait, delay: delay));
    }

    /// <summary>Finishes sending: completes the output, which flushes what was sent and half-closes (FIN).</summary>
    /// <returns>The longer script.</returns>
    public PeerScript Close() => Add(new ScriptStep(ScriptStepKind.Close));

    /// <summary>Aborts the connection (<see cref="IDisposable.Dispose"/>): unsent bytes are dropped and the other
    /// side's input fails with <see cref="ConnectionResetException"/>.</summary>
    /// <returns>The longer script.</returns>
    public PeerScript Abort() => Add(new ScriptStep(ScriptStepKind.Abort));

    /// <summary>Expects the other side to finish sending (its output completed: FIN) with no more bytes first.</summary>
    /// <returns>The longer script.</returns>
    public PeerScript ExpectClose() => Add(new ScriptStep(ScriptStepKind.ExpectClose));

    /// <summary>Expects the connection to be reset (the input fails with <see cref="ConnectionResetException"/>,
    /// for example because the other side aborted) with no more bytes first.</summary>
    /// <returns>The longer script.</returns>
    public PeerScript ExpectReset() => Add(new ScriptStep(ScriptStepKind.ExpectReset));

    /// <summary>This script's steps followed by <paramref name="next"/>'s.</summary>
    /// <param name="next">The script to play after this one.</param>
    /// <returns>The longer script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="next"/> is null.</exception>
    public PeerScript Then(PeerScript next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return new PeerScript(_steps.AddRange(next._steps));
    }

    /// <summary>Plays the script on <paramref name="connection"/>, starting now.</summary>
    /// <param name="connection">The scripted peer's side of the connection; the run subscribes to its input at once.</param>
    /// <param name="scheduler">The scheduler of the connection's world, for <see cref="Wait"/> steps: the
    /// simulated network's <c>TestScheduler</c>, or a real reactor's scheduler.</param>
    /// <returns>The run: it completes when the script ran to its end and fails with
    /// <see cref="ScriptMismatchException"/> otherwise; <see cref="ScriptRun.Verify"/> asserts it.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>On a failure the run aborts the connection, so the code under test sees a reset rather than
    /// waiting forever. The run owns the input's subscription until it ends; it never disposes the
    /// connection otherwise (a script that should close says <see cref="Close"/> or <see cref="Abort"/>).</remarks>
    public ScriptRun Run(IConnection connection, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(scheduler);
        var run = new ScriptRun(this, connection, scheduler);
        run.Start();
        return run;
    }

    /// <summary>Listens on <paramref name="endpoint"/> of <paramref name="reactor"/> and plays the script on every
    /// connection accepted, each on its own.</summary>
    /// <param name="reactor">A simulated host's reactor (<c>network.Host("server").Reactor</c>) or a real one;
    /// its scheduler times the <see cref="Wait"/> steps.</param>
    /// <param name="endpoint">The server endpoint's description, for example <c>tcp:25</c>.</param>
    /// <returns>The server: listening until disposed; <see cref="ScriptedServer.Verify"/> asserts every run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reactor"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is null or empty.</exception>
    /// <exception cref="FormatException"><paramref name="endpoint"/> is malformed.</exception>
    /// <exception cref="IOException">Binding failed at once, for example because the port is in use.</exception>
    public ScriptedServer Serve(IReactor reactor, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        return new ScriptedServer(this, reactor, reactor.ServerEndpoint(endpoint));
    }

    /// <summary>The steps, one a line, numbered from 1.</summary>
    /// <returns>The listing.</returns>
    public override string ToString() => Listing(-1);

    /// <summary>The steps, one a line, with a marker at <paramref name="current"/> (0-based; -1 for none).</summary>
    internal string Listing(int current)
    {
        if (_steps.IsEmpty)
            return "(empty script)";
        var text = new StringBuilder();
        int first = current > 15 ? current - 10 : 0;
        int last = Math.Min(_steps.Length, first + 25);
        if (first > 0)
            text.Append("  ...\n");
        for (int i = first; i < last; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {i + 1}. {_steps[i]}");
            if (i == current)
                text.Append("   <-- here");
            text.Append('\n');
        }
        if (last < _steps.Length)
            text.Append(CultureInfo.InvariantCulture, $"  ... ({_steps.Length - last} more steps)\n");
        return text.ToString().TrimEnd('\n');
    }

    private PeerScript Add(ScriptStep step) => new(_steps.Add(step));
}
