using System.Diagnostics;
using System.Globalization;
using System.Text;
using RxNet.Sockets.Specs.Tcp;
using Xunit;

namespace RxNet.Sockets.Specs.Interop;

/// <summary>
/// A Python process running Twisted's own <c>Int32StringReceiver</c> or <c>NetstringReceiver</c>, from a
/// script written into a temporary directory: it listens (printing <c>listening PORT</c>) or connects,
/// sends <see cref="InteropFrames"/> and checks what it receives against them, printing
/// <c>received COUNT SHA256</c>, <c>mismatch INDEX LENGTH</c>, <c>limit LENGTH</c> and <c>lost COUNT</c>.
/// It exits with 0 when it saw what its mode expects. Disposing it kills it if it still runs.
/// </summary>
internal sealed class TwistedPeer : IDisposable
{
    private const string Script = """
        import hashlib, sys
        from twisted.internet import protocol, reactor
        from twisted.protocols.basic import Int32StringReceiver, NetstringReceiver

        kind, role, mode, frames, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        PYTHON_SALT, RXNET_SALT = 1, 2
        PATTERN = bytes((k * 17) & 0xFF for k in range(256 + 99999))

        def length(i):
            return 99999 if i % 1000 == 999 else (i * 7919) % 3001

        def payload(i, salt):
            start = (i * 31 + salt) % 256
            return PATTERN[start:start + length(i)]

        ok = [False]

        class Peer(Int32StringReceiver if kind == "int32" else NetstringReceiver):
            def connectionMade(self):
                self.received = 0
                self.mismatch = None
                self.digest = hashlib.sha256()
                if mode == "exchange":
                    for i in range(frames):
                        self.sendString(payload(i, PYTHON_SALT))
                elif mode == "send-oversize":
                    self.sendString(b"x" * 100000)

            def stringReceived(self, data):
                i = self.received
                if self.mismatch is None and data != payload(i, RXNET_SALT):
                    self.mismatch = i
                    print("mismatch", i, len(data), flush=True)
                self.digest.update(data)
                self.received += 1
                if self.received == frames:
                    print("received", self.received, self.digest.hexdigest(), flush=True)
                    ok[0] = mode == "exchange" and self.mismatch is None
                    if role == "client":
                        self.transport.loseConnection()

            def lengthLimitExceeded(self, length):
                print("limit", length, flush=True)
                ok[0] = mode == "expect-oversize" and length == 100000
                self.transport.loseConnection()

            def connectionLost(self, reason):
                print("lost", self.received, flush=True)
                if mode == "send-oversize":
                    ok[0] = self.received == 0
                if reactor.running:
                    reactor.stop()

        class Factory(protocol.ClientFactory):
            protocol = Peer

            def clientConnectionFailed(self, connector, reason):
                print("failed", reason.getErrorMessage(), flush=True)
                reactor.stop()

        if role == "server":
            listening = reactor.listenTCP(0, Factory(), interface="127.0.0.1")
            print("listening", listening.getHost().port, flush=True)
        else:
            reactor.connectTCP("127.0.0.1", port, Factory())
        reactor.callLater(120, reactor.stop)  # a safety net should the spec runner vanish
        reactor.run()
        sys.exit(0 if ok[0] else 1)
        """;

    private static readonly Lazy<Task<string?>> PythonWithTwisted = new(FindPythonAsync);

    private readonly DirectoryInfo _directory;
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(string Prefix, TaskCompletionSource<string> Line)> _waiters = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TwistedPeer(string python, string kind, string role, string mode, int frames, int port)
    {
        _directory = Directory.CreateTempSubdirectory("rxnet-twisted-");
        string script = Path.Combine(_directory.FullName, "peer.py");
        File.WriteAllText(script, Script);
        var info = new ProcessStartInfo(python)
        {
            ArgumentList = { "-u", script, kind, role, mode, frames.ToString(CultureInfo.InvariantCulture), port.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (_stderr)
                    _stderr.AppendLine(e.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the peer printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_stdout)
                return _stdout.ToString();
        }
    }

    /// <summary>What the peer wrote to standard error (a Python traceback, say).</summary>
    public string Errors
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    /// <summary>Starts a peer. <paramref name="kind"/> is <c>int32</c> or <c>netstring</c>; <paramref name="role"/>
    /// <c>server</c> or <c>client</c> (of <paramref name="port"/>); <paramref name="mode"/> <c>exchange</c>
    /// (send <paramref name="frames"/> frames and expect as many), <c>send-oversize</c> (send one string of
    /// 100000 bytes and expect to be disconnected) or <c>expect-oversize</c> (expect one and disconnect).</summary>
    public static async Task<TwistedPeer> StartAsync(string kind, string role, string mode, int frames = 0, int port = 0)
    {
        string? python = await PythonWithTwisted.Value.Within(Bounded.Long);
        if (python is null)
            Assert.Fail("No python3 here can import twisted; install it (apt-get install python3-twisted, as .ci/run does).");
        return new TwistedPeer(python, kind, role, mode, frames, port);
    }

    /// <summary>The port from the peer's <c>listening PORT</c> line.</summary>
    public async Task<int> ListeningAsync() =>
        int.Parse((await LineAsync("listening ", Bounded.Short))["listening ".Length..], CultureInfo.InvariantCulture);

    /// <summary>The first line printed that starts with <paramref name="prefix"/>, waited for at most <paramref name="timeout"/>.</summary>
    public Task<string> LineAsync(string prefix, TimeSpan timeout)
    {
        var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stdout)
        {
            string? seen = _stdout.ToString().Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (seen is not null)
                waiter.SetResult(seen);
            else
                _waiters.Add((prefix, waiter));
        }
        return Describe(waiter.Task.Within(timeout), $"a line starting with '{prefix}'");
    }

    /// <summary>Waits for the peer to exit and all of its output to be read.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        await Describe(_process.WaitForExitAsync(Bounded.Cancel).WaitAsync(timeout, Bounded.Cancel), "the Twisted peer to exit");
        await _stdoutClosed.Task.Within(timeout);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it exited meanwhile
        }
        _process.Dispose();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a temporary directory left behind is harmless
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _stdoutClosed.TrySetResult();
            return;
        }
        List<TaskCompletionSource<string>> matched = [];
        lock (_stdout)
        {
            _stdout.AppendLine(line);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (line.StartsWith(_waiters[i].Prefix, StringComparison.Ordinal))
                {
                    matched.Add(_waiters[i].Line);
                    _waiters.RemoveAt(i);
                }
            }
        }
        foreach (var waiter in matched)
            waiter.TrySetResult(line);
    }

    /// <summary>A timeout that says what was awaited and what the peer printed.</summary>
    private async Task<T> Describe<T>(Task<T> task, string what)
    {
        try
        {
            return await task;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out waiting for {what}. The peer printed:\n{Output}\nand wrote to stderr:\n{Errors}", e);
        }
    }

    private async Task Describe(Task task, string what)
    {
        try
        {
            await task;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out waiting for {what}. The peer printed:\n{Output}\nand wrote to stderr:\n{Errors}", e);
        }
    }

    private static async Task<string?> FindPythonAsync()
    {
        foreach (string candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate) { ArgumentList = { "-c", "import twisted" }, RedirectStandardError = true, UseShellExecute = false });
                if (probe is null)
                    continue;
                await probe.StandardError.ReadToEndAsync();
                await probe.WaitForExitAsync().WaitAsync(Bounded.Long);
                if (probe.ExitCode == 0)
                    return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed under that name
            }
        }
        return null;
    }
}

/// <summary>The frames both sides send, the same in C# as in the Python script: frame <c>i</c> is a
/// deterministic run of bytes of a length from 0 to 3000, and every thousandth is 99999 bytes long,
/// Twisted's <c>MAX_LENGTH</c>.</summary>
internal static class InteropFrames
{
    public const int PythonSalt = 1;
    public const int RxNetSalt = 2;

    private static readonly byte[] Pattern = [.. Enumerable.Range(0, 256 + 99999).Select(k => (byte)(k * 17))];

    public static int Length(int i) => i % 1000 == 999 ? 99999 : (int)((long)i * 7919 % 3001);

    public static ReadOnlyMemory<byte> Payload(int i, int salt) => Pattern.AsMemory((i * 31 + salt) % 256, Length(i));

    /// <summary>The SHA-256 of frames 0 to <paramref name="count"/> - 1 back to back, as the Python peer prints it.</summary>
    public static string Digest(int count, int salt)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        for (int i = 0; i < count; i++)
            hash.AppendData(Payload(i, salt).Span);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Total bytes of frames 0 to <paramref name="count"/> - 1.</summary>
    public static long Bytes(int count) => Enumerable.Range(0, count).Sum(i => (long)Length(i));
}
