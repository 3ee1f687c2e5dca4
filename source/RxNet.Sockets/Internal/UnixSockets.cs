using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace RxNet.Sockets.Internal;

/// <summary>What the Unix endpoints share: reading the path, and telling a stale socket file from a live one.</summary>
internal static class UnixSockets
{
    /// <summary>The path: one positional argument or <paramref name="key"/>=, not both, not empty.</summary>
    public static string ReadPath(EndpointDescription d, string key, string example)
    {
        string? named = d.Parameters.GetValueOrDefault(key);
        if (d.Arguments.Count > 1 || (d.Arguments.Count == 1 && named is not null))
            throw d.Invalid(d.Arguments[^1], "only one path may be given");
        string path = named ?? (d.Arguments.Count == 1 ? d.Arguments[0] : throw d.Invalid(d.Scheme, $"a path is required, as in '{example}'"));
        if (path.Length == 0)
            throw d.Invalid(named is null ? path : key, "the path is empty");
        return path;
    }

    /// <summary>What is at <paramref name="path"/> itself (a link is not followed).</summary>
    public static FileKind Existing(string path)
    {
        // .NET reports a socket file as a plain file, so ask the runtime's own native shim for lstat's
        // mode: a portable struct whose second int is the mode, in the POSIX S_IF* encoding.
        var status = new byte[256];
        try
        {
            if (LStat(path, status) != 0)
                return FileKind.None;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // A runtime without the shim: fail safe, as if the path were not a socket (never removed).
            return File.Exists(path) || Directory.Exists(path) ? FileKind.Other : FileKind.None;
        }
        int type = BitConverter.ToInt32(status, 4) & 0xF000;
        return type == 0xC000 ? FileKind.Socket : FileKind.Other;
    }

    /// <summary>True if a server accepts on the socket file now; false if connecting is refused (stale).</summary>
    public static bool Accepts(string path)
    {
        // Non-blocking: a live server whose backlog is full would block a blocking connect for good.
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress or SocketError.TryAgain)
        {
            return true; // someone listens, with a full backlog
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);
}

/// <summary>What a path names.</summary>
internal enum FileKind
{
    None,
    Socket,
    Other,
}
