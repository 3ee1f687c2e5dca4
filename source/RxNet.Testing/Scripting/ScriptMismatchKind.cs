namespace RxNet.Testing;

/// <summary>How a <see cref="PeerScript"/> run failed: the <see cref="ScriptMismatchException.Kind"/>.</summary>
public enum ScriptMismatchKind
{
    /// <summary>A byte differs from what an <c>Expect</c> step expected.</summary>
    DifferentBytes,

    /// <summary>The other side finished sending (FIN) while the step expected more bytes, or a reset.</summary>
    InputEnded,

    /// <summary>The input failed (a reset, an abort, an I/O error) while the step expected bytes or a clean close.</summary>
    InputFailed,

    /// <summary>Bytes arrived that the script did not expect: before an <c>ExpectClose</c> or
    /// <c>ExpectReset</c>, or left unread when the script ended.</summary>
    ExtraBytes,

    /// <summary>The script had not run to its end when it was verified: a step still waits.</summary>
    Unfinished,
}
