using System.Collections.Immutable;
using System.Globalization;
using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Subjects;
using System.Runtime.ExceptionServices;
using System.Text;
using RxNet.Testing.Internal;

namespace RxNet.Testing;

/// <summary>
/// One play of a <see cref="PeerScript"/> on one connection, made by <see cref="PeerScript.Run"/>: an
/// observable of its outcome and the place to assert it.
/// </summary>
/// <remarks>
/// <para><b>Outcome.</b> As an observable it emits one <see cref="Unit"/> and completes at the moment the
/// script ran to its end, or fails with a <see cref="ScriptMismatchException"/>; late subscribers get the
/// same outcome, and <c>await run</c> works over real sockets. In a virtual-time spec, drive the
/// scheduler, then call <see cref="Verify"/>, which also reports a script that never finished.</para>
/// <para><b>Threading.</b> Input notifications (I/O threads on real sockets) and <c>Wait</c> timers are
/// serialized by the run; its properties may be read from any thread.</para>
/// <para><b>Limits.</b> At most 1 MiB may wait unread (arrived and not yet expected); more fails the run
/// with <see cref="ScriptMismatchKind.ExtraBytes"/>.</para>
/// </remarks>
public sealed class ScriptRun : IObservable<Unit>, IDisposable
{
    private const int MaxUnread = 1024 * 1024;
    private const int ExcerptSlack = 64;

    private readonly Lock _gate = new();
    private readonly PeerScript _script;
    private readonly ImmutableArray<ScriptStep> _steps;
    private readonly IScheduler _scheduler;
    private readonly AsyncSubject<Unit> _outcome = new();
    private readonly SingleAssignmentDisposable _input = new();
    private readonly SerialDisposable _timer = new();
    private byte[] _unread = new byte[256];
    private int _unreadStart;
    private int _unreadCount;
    private long _consumed;      // bytes of the input the script has read: the input offset of the first unread byte
    private int _index;          // the current step
    private int _matched;        // bytes of the current Expect already matched
    private bool _waiting;
    private bool _waitOver;
    private bool _inputCompleted;
    private Exception? _inputError;
    private bool _pumping;
    private bool _ended;
    private bool _completed;
    private bool _disposed;
    private bool _published;
    private ScriptMismatchException? _error;

    internal ScriptRun(PeerScript script, IConnection connection, IScheduler scheduler)
    {
        _script = script;
        _steps = script.Steps;
        Connection = connection;
        _scheduler = scheduler;
    }

    /// <summary>Whether the script ran to its end.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_gate)
                return _completed;
        }
    }

    /// <summary>Why the run failed, or <see langword="null"/> while it has not failed.</summary>
    public ScriptMismatchException? Error
    {
        get
        {
            lock (_gate)
                return _error;
        }
    }

    /// <summary>The connection the script plays on.</summary>
    public IConnection Connection { get; }

    /// <summary>Throws unless the script ran to its end: the failure if it failed, or a
    /// <see cref="ScriptMismatchException"/> of kind <see cref="ScriptMismatchKind.Unfinished"/> naming the
    /// step that still waits and what arrived so far.</summary>
    /// <exception cref="ScriptMismatchException">The run failed or has not finished.</exception>
    public void Verify()
    {
        ScriptMismatchException? failure;
        lock (_gate)
        {
            if (_completed)
                return;
            failure = _error;
            if (failure is null)
                throw Unfinished();
        }
        ExceptionDispatchInfo.Throw(failure);
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(IObserver<Unit> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return _outcome.Subscribe(observer);
    }

    /// <summary>Stops the run where it is: no more steps, the input's subscription and any timer are
    /// disposed, and the outcome never comes. The connection is left as it is.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            if (!_ended)
            {
                _ended = true;
                Stop();
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        lock (_gate)
        {
            string state = _completed ? "completed" : _error is not null ? "failed" : _disposed ? "disposed"
                : string.Create(CultureInfo.InvariantCulture, $"at step {_index + 1} of {_steps.Length}");
            return $"script run on {Connection}: {state}";
        }
    }

    internal void Start()
    {
        _input.Disposable = Connection.Input.Subscribe(new InputObserver(this));
        lock (_gate)
            Pump();
        Publish();
    }

    private void OnInput(ReadOnlyMemory<byte> chunk)
    {
        lock (_gate)
        {
            if (_ended)
                return;
            Append(chunk.Span);
            Pump();
            if (!_ended && _unreadCount > MaxUnread)
                Fail(ScriptMismatchKind.ExtraBytes, string.Create(CultureInfo.InvariantCulture,
                        $"more than {MaxUnread} bytes arrived that the script has not expected (from byte {_consumed} of the input)"),
                    expected: [], UnreadCopy(4096), 0, "(bytes the script expects)");
        }
        Publish();
    }

    private void OnInputEnd(Exception? error)
    {
        lock (_gate)
        {
            if (_ended)
                return;
            if (error is null)
                _inputCompleted = true;
            else
                _inputError = error;
            Pump();
        }
        Publish();
    }

    private void OnWaitOver()
    {
        lock (_gate)
        {
            if (_ended)
                return;
            _waitOver = true;
            Pump();
        }
        Publish();
    }

    /// <summary>Runs steps as far as they can go now. Not re-entrant: a notification caused by a step
    /// (say, the input failing because the script aborted) is handled by the running loop.</summary>
    private void Pump()
    {
        if (_pumping || _ended)
            return;
        _pumping = true;
        try
        {
            while (!_ended)
            {
                if (_index == _steps.Length)
                {
                    if (_unreadCount > 0)
                        Fail(ScriptMismatchKind.ExtraBytes, string.Create(CultureInfo.InvariantCulture,
                                $"{Bytes(_unreadCount)} more had arrived (from byte {_consumed} of the input)"),
                            expected: [], UnreadCopy(4096), 0, "(nothing more)");
                    else
                        Complete();
                    return;
                }
                if (!RunStep(_steps[_index]) || _ended)
                    return;
                _index++;
            }
        }
        finally
        {
            _pumping = false;
        }
    }

    /// <summary>Runs one step; false while it waits (or when it failed).</summary>
    private bool RunStep(ScriptStep step)
    {
        switch (step.Kind)
        {
            case ScriptStepKind.Send:
                Connection.Output.OnNext(step.Data);
                return true;
            case ScriptStepKind.Close:
                Connection.Output.OnCompleted();
                return true;
            case ScriptStepKind.Abort:
                Connection.Dispose();
                return true;
            case ScriptStepKind.Wait:
                if (!_waiting)
                {
                    _waiting = true;
                    _waitOver = false;
                    _timer.Disposable = _scheduler.Schedule(step.Delay, OnWaitOver);
                }
                if (!_waitOver)
                    return false;
                _waiting = false;
                return true;
            case ScriptStepKind.Expect:
                return Expect(step.Data);
            case ScriptStepKind.ExpectClose:
                return ExpectEnd(reset: false);
            default:
                return ExpectEnd(reset: true);
        }
    }

    private bool Expect(byte[] expected)
    {
        int available = Math.Min(_unreadCount, expected.Length - _matched);
        int same = _unread.AsSpan(_unreadStart, available).CommonPrefixLength(expected.AsSpan(_matched, available));
        Consume(same);
        _matched += same;
        if (same < available)
        {
            Fail(ScriptMismatchKind.DifferentBytes, string.Create(CultureInfo.InvariantCulture,
                    $"byte {_matched} differs (byte {_consumed} of the input)"),
                expected, ActualOfStep(expected), _matched, caret: true);
            return false;
        }
        if (_matched == expected.Length)
        {
            _matched = 0;
            return true;
        }
        if (_inputError is not null)
            Fail(ScriptMismatchKind.InputFailed, string.Create(CultureInfo.InvariantCulture,
                    $"the input failed after {_matched} of {expected.Length} bytes: {Describe(_inputError)}"),
                expected, ActualOfStep(expected), _matched, caret: true, inner: _inputError);
        else if (_inputCompleted)
            Fail(ScriptMismatchKind.InputEnded, string.Create(CultureInfo.InvariantCulture,
                    $"the other side finished sending (FIN) after {_matched} of {expected.Length} bytes"),
                expected, ActualOfStep(expected), _matched, caret: true);
        return false;
    }

    private bool ExpectEnd(bool reset)
    {
        string wanted = reset ? "(a reset)" : "(a close: FIN)";
        if (_unreadCount > 0)
        {
            Fail(ScriptMismatchKind.ExtraBytes, string.Create(CultureInfo.InvariantCulture,
                    $"{Bytes(_unreadCount)} arrived before the {(reset ? "reset" : "close")} (from byte {_consumed} of the input)"),
                expected: [], UnreadCopy(4096), 0, wanted);
            return false;
        }
        if (reset ? _inputError is ConnectionResetException : _inputCompleted)
            return true;
        if (_inputError is not null)
            Fail(ScriptMismatchKind.InputFailed, $"the input failed: {Describe(_inputError)}", expected: [], [], 0, wanted, inner: _inputError);
        else if (_inputCompleted)
            Fail(ScriptMismatchKind.InputEnded, "the other side finished sending cleanly (FIN) instead", expected: [], [], 0, wanted);
        return false;
    }

    private void Complete()
    {
        _ended = true;
        _completed = true;
        Stop();
    }

    private void Fail(ScriptMismatchKind kind, string what, byte[] expected, byte[] actual, int offset,
        string? expectedText = null, bool caret = false, Exception? inner = null)
    {
        _error = Mismatch(kind, "failed: " + what, expected, actual, offset, expectedText, caret, inner);
        _ended = true;
        Stop();
    }

    private void Stop()
    {
        _timer.Dispose();
        _input.Dispose();
    }

    /// <summary>Reports the outcome once the run ended, outside the lock. A failure aborts the connection
    /// first, so the code under test sees a reset instead of waiting forever.</summary>
    private void Publish()
    {
        ScriptMismatchException? error;
        lock (_gate)
        {
            if (_published || !(_completed || _error is not null))
                return;
            _published = true;
            error = _error;
        }
        if (error is null)
        {
            _outcome.OnNext(Unit.Default);
            _outcome.OnCompleted();
            return;
        }
        Connection.Dispose();
        _outcome.OnError(error);
    }

    private ScriptMismatchException Unfinished()
    {
        if (_index >= _steps.Length)
            return Mismatch(ScriptMismatchKind.Unfinished, "has not finished", [], [], 0, null, false, null);
        var step = _steps[_index];
        string why = _disposed ? "the run was disposed here"
            : step.Kind switch
            {
                ScriptStepKind.Expect => string.Create(CultureInfo.InvariantCulture,
                    $"{_matched} of {step.Data.Length} bytes arrived; advance the scheduler further, or the other side never sent the rest"),
                ScriptStepKind.ExpectClose => "the other side has not finished sending",
                ScriptStepKind.ExpectReset => "the connection has not been reset",
                ScriptStepKind.Wait => "the wait is not over: advance the scheduler further",
                _ => "it has not run",
            };
        return step.Kind == ScriptStepKind.Expect
            ? Mismatch(ScriptMismatchKind.Unfinished, "has not finished: " + why, step.Data, ActualOfStep(step.Data), _matched, null, true, null)
            : Mismatch(ScriptMismatchKind.Unfinished, "has not finished: " + why, [], UnreadCopy(4096), 0, null, false, null);
    }

    private ScriptMismatchException Mismatch(ScriptMismatchKind kind, string what, byte[] expected, byte[] actual, int offset,
        string? expectedText, bool caret, Exception? inner)
    {
        var text = new StringBuilder();
        text.Append(_index < _steps.Length
            ? string.Create(CultureInfo.InvariantCulture, $"Script step {_index + 1} of {_steps.Length} ({_steps[_index]}) {what}.")
            : string.Create(CultureInfo.InvariantCulture, $"The script ran to its end ({_steps.Length} step{(_steps.Length == 1 ? "" : "s")}) but {what.Replace("failed: ", "", StringComparison.Ordinal)}."));
        int from = BytesText.ExcerptStart(offset);
        text.Append("\n  expected: ").Append(expectedText ?? BytesText.Excerpt(expected, from));
        text.Append("\n  actual:   ").Append(actual.Length == 0 ? "(nothing)" : BytesText.Excerpt(actual, from));
        if (caret && actual.Length > 0)
            text.Append('\n').Append(' ', 12 + BytesText.Column(expected, from, offset)).Append('^');
        text.Append(CultureInfo.InvariantCulture, $"\n  on {Connection}\nScript:\n{_script.Listing(_index)}");
        return new ScriptMismatchException(text.ToString(), inner, kind, _index + 1, expected, actual, offset, _consumed);
    }

    /// <summary>What arrived since the current Expect began: the matched prefix, then what is unread, a little past the expectation.</summary>
    private byte[] ActualOfStep(byte[] expected)
    {
        int more = Math.Min(_unreadCount, expected.Length - _matched + ExcerptSlack);
        var actual = new byte[_matched + more];
        expected.AsSpan(0, _matched).CopyTo(actual);
        _unread.AsSpan(_unreadStart, more).CopyTo(actual.AsSpan(_matched));
        return actual;
    }

    private byte[] UnreadCopy(int max) => _unread.AsSpan(_unreadStart, Math.Min(_unreadCount, max)).ToArray();

    private void Append(ReadOnlySpan<byte> chunk)
    {
        if (_unreadStart + _unreadCount + chunk.Length > _unread.Length)
        {
            if (_unreadCount + chunk.Length > _unread.Length)
            {
                var bigger = new byte[Math.Max(_unread.Length * 2, _unreadCount + chunk.Length)];
                _unread.AsSpan(_unreadStart, _unreadCount).CopyTo(bigger);
                _unread = bigger;
            }
            else
            {
                _unread.AsSpan(_unreadStart, _unreadCount).CopyTo(_unread);
            }
            _unreadStart = 0;
        }
        chunk.CopyTo(_unread.AsSpan(_unreadStart + _unreadCount));
        _unreadCount += chunk.Length;
    }

    private void Consume(int count)
    {
        _unreadStart += count;
        _unreadCount -= count;
        _consumed += count;
        if (_unreadCount == 0)
            _unreadStart = 0;
    }

    private static string Bytes(int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} byte{(count == 1 ? "" : "s")}");

    private static string Describe(Exception error) => $"{error.GetType().Name}: {error.Message}";

    private sealed class InputObserver(ScriptRun run) : IObserver<ReadOnlyMemory<byte>>
    {
        public void OnNext(ReadOnlyMemory<byte> value) => run.OnInput(value);

        public void OnError(Exception error) => run.OnInputEnd(error);

        public void OnCompleted() => run.OnInputEnd(null);
    }
}
