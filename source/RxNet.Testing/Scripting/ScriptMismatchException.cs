namespace RxNet.Testing;

/// <summary>
/// A scripted peer (<see cref="PeerScript"/>) met something its script did not allow: different bytes,
/// an early close or reset, extra bytes, or a step still waiting when the run was verified.
/// </summary>
/// <remarks>
/// The message names the step (its number, 1-based, and what it expected), shows the expected bytes and
/// what actually arrived as printable text (<c>\r</c>, <c>\n</c>, <c>\xNN</c> escapes) with a caret under
/// the first difference, and lists the script. The properties carry the same facts for assertions.
/// </remarks>
public sealed class ScriptMismatchException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ScriptMismatchException()
        : base("A scripted peer met something its script did not allow.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public ScriptMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error behind it.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The connection's error, for <see cref="ScriptMismatchKind.InputFailed"/>.</param>
    public ScriptMismatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal ScriptMismatchException(string message, Exception? innerException, ScriptMismatchKind kind, int step,
        byte[] expected, byte[] actual, int offset, long inputOffset)
        : base(message, innerException)
    {
        Kind = kind;
        Step = step;
        Expected = expected;
        Actual = actual;
        Offset = offset;
        InputOffset = inputOffset;
    }

    /// <summary>How the run failed.</summary>
    public ScriptMismatchKind Kind { get; }

    /// <summary>The failing step's number, from 1; one more than the script's length when the failure
    /// came at its end (<see cref="ScriptMismatchKind.ExtraBytes"/> left unread).</summary>
    public int Step { get; }

    /// <summary>The bytes the step expected (empty for steps that expect a close, a reset or nothing).</summary>
    public ReadOnlyMemory<byte> Expected { get; }

    /// <summary>What arrived instead, from the start of the step: for <see cref="ScriptMismatchKind.DifferentBytes"/>
    /// the matching prefix, the first different byte and what had arrived after it; for
    /// <see cref="ScriptMismatchKind.ExtraBytes"/> the extra bytes.</summary>
    public ReadOnlyMemory<byte> Actual { get; }

    /// <summary>The position, in <see cref="Expected"/> and <see cref="Actual"/>, of the first byte that
    /// differs, or where the input stopped short of the expectation.</summary>
    public int Offset { get; }

    /// <summary>The same position counted from the first byte the connection's input delivered to the script.</summary>
    public long InputOffset { get; }
}
