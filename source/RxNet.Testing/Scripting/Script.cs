namespace RxNet.Testing;

/// <summary>
/// Where scripted peers start: <c>Script.Expect("HELO x\r\n").Send("250 ok\r\n").ExpectClose()</c>.
/// Each method is the same step of <see cref="PeerScript.Empty"/>; see <see cref="PeerScript"/>.
/// </summary>
public static class Script
{
    /// <summary>A script that first expects <paramref name="text"/>'s UTF-8 bytes.</summary>
    /// <param name="text">The text expected; not empty.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentException"><paramref name="text"/> is null or empty.</exception>
    public static PeerScript Expect(string text) => PeerScript.Empty.Expect(text);

    /// <summary>A script that first expects <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The bytes expected; not empty.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is empty.</exception>
    public static PeerScript Expect(ReadOnlySpan<byte> bytes) => PeerScript.Empty.Expect(bytes);

    /// <summary>A script that first sends <paramref name="text"/>'s UTF-8 bytes (a server's greeting).</summary>
    /// <param name="text">The text to send; not empty.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentException"><paramref name="text"/> is null or empty.</exception>
    public static PeerScript Send(string text) => PeerScript.Empty.Send(text);

    /// <summary>A script that first sends <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The bytes to send; not empty.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is empty.</exception>
    public static PeerScript Send(ReadOnlySpan<byte> bytes) => PeerScript.Empty.Send(bytes);

    /// <summary>A script that first waits <paramref name="delay"/> on the run's scheduler.</summary>
    /// <param name="delay">How long to wait; not negative.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public static PeerScript Wait(TimeSpan delay) => PeerScript.Empty.Wait(delay);
}
