namespace RxNet.Demos.Chat;

/// <summary>The limits of a <see cref="ChatServer"/>: each one protects the room from one bad client.</summary>
public sealed record ChatOptions
{
    /// <summary>The defaults: lines up to 1024 bytes, 64 KiB queued per client, names up to 20 characters,
    /// 10 seconds to hang up after goodbye.</summary>
    public static ChatOptions Default { get; } = new();

    /// <summary>The longest line a client may send, in bytes, without its line feed. A longer one gets an
    /// error and the connection is closed; the room goes on. 1024 by default.</summary>
    public int MaxLineLength { get; init; } = 1024;

    /// <summary>The most bytes waiting to be sent to one client (its output's <c>PendingBytes</c>). A client
    /// that reads slower than the room talks passes it and is disconnected as too slow, so it can neither
    /// hold up the others nor make the server's memory grow. 64 KiB by default.</summary>
    public long MaxPendingBytes { get; init; } = 64 * 1024;

    /// <summary>The longest nickname, in characters. 20 by default.</summary>
    public int MaxNicknameLength { get; init; } = 20;

    /// <summary>How long a client told goodbye (after <c>/quit</c> or an error) has to close its side
    /// before the server cuts the connection. 10 seconds by default, on the reactor's clock.</summary>
    public TimeSpan HangUpTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
