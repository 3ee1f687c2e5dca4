using System.Net.Sockets;
using System.Reactive.Linq;
using System.Text;
using RxNet.Sockets.Specs.Tcp;
using Xunit;

namespace RxNet.Sockets.Specs.Unix;

/// <summary>Unix domain socket endpoints on real socket files: echo, the file's mode, stale files from a
/// dead process, paths that must be left alone, removal on close.</summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnixSocketSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rxnet-unix-").FullName;

    private string SocketPath => Path.Combine(_folder, "echo.sock");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Listen_UnixEndpointString_EchoesThroughTheSocketFile()
    {
        using var reactor = new SocketReactor();
        using var server = reactor.ServerEndpoint($"unix:{SocketPath}").Listen()
            .Subscribe(connection => connection.Input.Subscribe(connection.Output));

        using var client = await reactor.ClientEndpoint($"unix:path={SocketPath}").Connect().FirstWithin();
        var reply = client.Input.Select(chunk => Encoding.ASCII.GetString(chunk.Span)).Scan(string.Concat).Where(s => s == "hello unix").FirstWithin();
        client.Output.OnNext("hello unix"u8.ToArray());

        Assert.Equal("hello unix", await reply);
    }

    [Fact]
    public void Listen_ModeGiven_SocketFileHasExactlyThatMode()
    {
        using var server = UnixServerEndpoint.Parse($"unix:{SocketPath}:mode=600").Listen().Subscribe();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
    }

    [Fact]
    public void Listen_NoModeGiven_SocketFileIsReadableAndWritableByAllAsInTwisted()
    {
        using var server = new UnixServerEndpoint(SocketPath).Listen().Subscribe();

        Assert.Equal(UnixServerEndpoint.DefaultMode, File.GetUnixFileMode(SocketPath));
    }

    [Fact]
    public void Listen_Disposed_RemovesTheSocketFile()
    {
        var server = new UnixServerEndpoint(SocketPath).Listen().Subscribe();
        Assert.True(File.Exists(SocketPath));

        server.Dispose();

        Assert.False(File.Exists(SocketPath));
    }

    [Fact]
    public async Task Listen_StaleSocketFileOfADeadServer_IsReplacedAndServes()
    {
        await LeaveStaleSocketAsync();

        using var server = new UnixServerEndpoint(SocketPath).Listen().Subscribe(c => c.Input.Subscribe(c.Output));
        using var client = await new UnixClientEndpoint(SocketPath).Connect().FirstWithin();
        var echoed = client.Input.FirstWithin();
        client.Output.OnNext(new byte[] { 42 });

        Assert.Equal(42, (await echoed).Span[0]);
    }

    [Fact]
    public async Task Listen_LiveServerOnThePath_FailsAndLeavesThatServerServing()
    {
        using var first = new UnixServerEndpoint(SocketPath).Listen().Subscribe(c => c.Input.Subscribe(c.Output));

        var error = await Assert.ThrowsAsync<IOException>(() => new UnixServerEndpoint(SocketPath).Listen().FirstWithin());

        Assert.Contains("a live server is accepting on it", error.Message, StringComparison.Ordinal);
        using var client = await new UnixClientEndpoint(SocketPath).Connect().FirstWithin();
        var echoed = client.Input.FirstWithin();
        client.Output.OnNext(new byte[] { 7 });
        Assert.Equal(7, (await echoed).Span[0]);
    }

    [Fact]
    public async Task Listen_PathIsARegularFile_FailsAndLeavesTheFileAlone()
    {
        await File.WriteAllTextAsync(SocketPath, "precious", TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<IOException>(() => new UnixServerEndpoint(SocketPath).Listen().FirstWithin());

        Assert.Contains("is not a socket", error.Message, StringComparison.Ordinal);
        Assert.Equal("precious", await File.ReadAllTextAsync(SocketPath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Listen_LockFileHeldByAnotherListener_FailsNamingTheLockFile()
    {
        using var first = new UnixServerEndpoint(SocketPath, lockFile: true).Listen().Subscribe();

        var error = await Assert.ThrowsAsync<IOException>(() => new UnixServerEndpoint(SocketPath, lockFile: true).Listen().FirstWithin());

        Assert.Contains($"{SocketPath}.lock", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(SocketPath));
    }

    [Fact]
    public async Task Listen_LockFileAndStaleSocket_ReplacesTheSocketAndRemovesBothOnClose()
    {
        await LeaveStaleSocketAsync();

        var server = new UnixServerEndpoint(SocketPath, lockFile: true).Listen().Subscribe();
        Assert.True(File.Exists($"{SocketPath}.lock"));
        server.Dispose();

        Assert.False(File.Exists(SocketPath));
        Assert.False(File.Exists($"{SocketPath}.lock"));
    }

    [Fact]
    public async Task Connect_NoSuchSocketFile_FailsWithConnectionRefused()
    {
        var error = await Assert.ThrowsAnyAsync<IOException>(() => new UnixClientEndpoint(SocketPath).Connect().FirstWithin());

        Assert.Contains(SocketPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_StaleSocketFile_FailsWithConnectionRefused()
    {
        await LeaveStaleSocketAsync();

        var error = await Assert.ThrowsAsync<ConnectionRefusedException>(() => new UnixClientEndpoint(SocketPath).Connect().FirstWithin());

        Assert.Contains(SocketPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listen_OneClientHalfCloses_ItsEchoEndsAndTheOtherClientsStayServed()
    {
        using var server = new UnixServerEndpoint(SocketPath).Listen().Subscribe(c => c.Input.Subscribe(c.Output));
        var leaving = await new UnixClientEndpoint(SocketPath).Connect().FirstWithin();
        using var staying = await new UnixClientEndpoint(SocketPath).Connect().FirstWithin();

        leaving.Output.OnCompleted();
        var closed = await leaving.Input.LastOrDefaultAsync().Select(_ => true).FirstWithin();
        var echoed = staying.Input.FirstWithin();
        staying.Output.OnNext(new byte[] { 1 });

        Assert.True(closed);
        Assert.Equal(1, (await echoed).Span[0]);
        leaving.Dispose();
    }

    [Fact]
    public async Task Listen_LockFileFreeButALiveServerWithoutOne_FailsAndLeavesThatServerServing()
    {
        using var live = new UnixServerEndpoint(SocketPath).Listen().Subscribe(c => c.Input.Subscribe(c.Output));

        var error = await Assert.ThrowsAsync<IOException>(() => new UnixServerEndpoint(SocketPath, lockFile: true).Listen().FirstWithin());

        Assert.Contains("a live server is accepting on it", error.Message, StringComparison.Ordinal);
        using var client = await new UnixClientEndpoint(SocketPath).Connect().FirstWithin();
        var echoed = client.Input.FirstWithin();
        client.Output.OnNext(new byte[] { 9 });
        Assert.Equal(9, (await echoed).Span[0]);
    }

    [Fact]
    public async Task Listen_OnListeningThrows_ReleasesTheSocketFileSoTheNextListenerBinds()
    {
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new UnixServerEndpoint(SocketPath).Listen(_ => throw new InvalidOperationException("callback failed")).FirstWithin());

        Assert.Equal("callback failed", failed.Message);
        Assert.False(File.Exists(SocketPath));
        using var next = new UnixServerEndpoint(SocketPath).Listen().Subscribe();
        Assert.True(File.Exists(SocketPath));
    }

    /// <summary>What a process that dies while listening leaves behind: a socket file nobody accepts on.
    /// A Python process binds and exits (.NET would unlink the file when its socket closes).</summary>
    private async Task LeaveStaleSocketAsync()
    {
        var python = System.Diagnostics.Process.Start(RxNet.Specs.Shared.Peers.Require("python3", "python3"), ["-c",
            "import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen()", SocketPath])!;
        using (python)
        {
            await python.WaitForExitAsync(Bounded.Cancel).Within();
            Assert.Equal(0, python.ExitCode);
        }
        Assert.True(File.Exists(SocketPath), "the dead process left no socket file");
    }
}
