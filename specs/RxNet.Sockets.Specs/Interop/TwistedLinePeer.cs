using System.Diagnostics;
using System.Globalization;
using System.Text;
using RxNet.Sockets.Specs.Tcp;
using Xunit;

namespace RxNet.Sockets.Specs.Interop;

/// <summary>
/// A Python process running Twisted's own <c>LineReceiver</c>, from a script written into a temporary
/// directory. It listens on 127.0.0.1 (printing <c>listening PORT</c>) or connects, sends
/// <see cref="InteropLines"/> (lines, a raw block in the middle announced by <c>RAW SIZE</c>, <c>END</c>),
/// checks the same from the other side byte for byte, and prints <c>received lines=N raw=SIZE
/// raw_calls=C</c>, or <c>mismatch WHAT</c> at the first difference. It exits with 0 when everything
/// matched. Disposing it kills it if it still runs and deletes the script.
/// </summary>
internal sealed class TwistedLinePeer : IDisposable
{
    private const string Script = """
        import sys
        from twisted.internet import protocol, reactor
        from twisted.protocols.basic import LineReceiver

        role, port, lines, raw_size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
        ALPHABET = "abcXYZ019 \u00e9\u20ac\n\r\t-"

        def line(side, i):
            n = (i * 7919) % 97
            body = "".join(ALPHABET[(i + k) % len(ALPHABET)] for k in range(n))
            return ("%s %d %s" % (side, i, body)).encode("utf-8")

        def blob(side, size):
            seed = 1 if side == "py" else 2
            return bytes((((k * 31 + seed * 7) ^ (k >> 8)) & 0xFF) for k in range(size))

        result = {"ok": False}

        class Peer(LineReceiver):
            def connectionMade(self):
                self.received = 0
                self.raw = None
                self.raw_done = False
                self.raw_calls = 0
                self.failure = None
                self.expected_blob = blob("rx", raw_size)
                out = []
                for i in range(lines):
                    if i == lines // 2:
                        out.append(b"RAW %d\r\n" % raw_size)
                        out.append(blob("py", raw_size))
                    out.append(line("py", i) + b"\r\n")
                out.append(b"END\r\n")
                self.transport.writeSequence(out)

            def fail(self, why):
                if self.failure is None:
                    self.failure = why
                    print("mismatch", why, flush=True)
                    self.transport.loseConnection()

            def lineReceived(self, data):
                if self.failure is not None:
                    return
                if self.received == lines // 2 and not self.raw_done:
                    if data != b"RAW %d" % raw_size:
                        return self.fail("expected the RAW header, got %r" % data[:80])
                    self.raw = bytearray()
                    self.setRawMode()
                    return
                if self.received == lines:
                    if data != b"END":
                        return self.fail("expected END, got %r" % data[:80])
                    print("received lines=%d raw=%d raw_calls=%d" % (self.received, len(self.raw), self.raw_calls), flush=True)
                    result["ok"] = True
                    self.transport.loseConnection()
                    return
                expected = line("rx", self.received)
                if data != expected:
                    return self.fail("line %d: expected %r, got %r" % (self.received, expected[:80], data[:80]))
                self.received += 1

            def rawDataReceived(self, data):
                self.raw_calls += 1
                need = raw_size - len(self.raw)
                self.raw += data[:need]
                if len(self.raw) == raw_size:
                    self.raw_done = True
                    if bytes(self.raw) != self.expected_blob:
                        return self.fail("the raw block differs")
                    self.setLineMode(data[need:])

            def connectionLost(self, reason):
                print("lost", self.received, flush=True)
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
        sys.exit(0 if result["ok"] else 1)
        """;

    private static readonly Lazy<Task<string?>> PythonWithTwisted = new(FindPythonAsync);

    private readonly DirectoryInfo _directory;
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TwistedLinePeer(string python, string role, int port, int lines, int rawSize)
    {
        _directory = Directory.CreateTempSubdirectory("rxnet-twisted-lines-");
        string script = Path.Combine(_directory.FullName, "line_peer.py");
        File.WriteAllText(script, Script);
        var info = new ProcessStartInfo(python)
        {
            ArgumentList =
            {
                "-u", script, role,
                port.ToString(CultureInfo.InvariantCulture),
                lines.ToString(CultureInfo.InvariantCulture),
                rawSize.ToString(CultureInfo.InvariantCulture),
            },
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

    /// <summary>Starts a peer: <paramref name="role"/> is <c>server</c> or <c>client</c> (of <paramref name="port"/>).</summary>
    public static async Task<TwistedLinePeer> StartAsync(string role, int port, int lines, int rawSize)
    {
        string? python = await PythonWithTwisted.Value.Within(Bounded.Long);
        if (python is null)
            Assert.Fail("No python3 here can import twisted; install it (apt-get install python3-twisted, as .ci/run does).");
        return new TwistedLinePeer(python, role, port, lines, rawSize);
    }

    /// <summary>The port from the peer's <c>listening PORT</c> line.</summary>
    public Task<int> ListeningAsync() => Describe(_listening.Task.Within(Bounded.Short), "the Twisted server to listen");

    /// <summary>Waits for the peer to exit and for all of its output to be read.</summary>
    public async Task<int> ExitCodeAsync()
    {
        await Describe(_process.WaitForExitAsync(Bounded.Cancel).Within(Bounded.Long), "the Twisted peer to exit");
        await _stdoutClosed.Task.Within(Bounded.Long);
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
        lock (_stdout)
            _stdout.AppendLine(line);
        if (line.StartsWith("listening ", StringComparison.Ordinal))
            _listening.TrySetResult(int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture));
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
