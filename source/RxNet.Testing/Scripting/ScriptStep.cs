using System.Globalization;
using RxNet.Testing.Internal;

namespace RxNet.Testing;

/// <summary>What a step of a <see cref="PeerScript"/> does.</summary>
internal enum ScriptStepKind
{
    Expect,
    Send,
    Wait,
    Close,
    Abort,
    ExpectClose,
    ExpectReset,
}

/// <summary>One step of a <see cref="PeerScript"/>: its kind, its bytes (Expect, Send) or its delay (Wait).</summary>
internal sealed class ScriptStep(ScriptStepKind kind, byte[]? data = null, TimeSpan delay = default)
{
    public ScriptStepKind Kind { get; } = kind;

    public byte[] Data { get; } = data ?? [];

    public TimeSpan Delay { get; } = delay;

    public override string ToString() => Kind switch
    {
        ScriptStepKind.Expect => string.Create(CultureInfo.InvariantCulture, $"Expect {Short(Data)} ({Data.Length} bytes)"),
        ScriptStepKind.Send => string.Create(CultureInfo.InvariantCulture, $"Send {Short(Data)} ({Data.Length} bytes)"),
        ScriptStepKind.Wait => string.Create(CultureInfo.InvariantCulture, $"Wait {Delay:c}"),
        _ => Kind.ToString(),
    };

    /// <summary>The bytes quoted, the first 40 only (the count follows in the description).</summary>
    private static string Short(byte[] data) =>
        data.Length <= 40 ? BytesText.Quote(data) : BytesText.Quote(data.AsSpan(0, 40)) + "…";
}
