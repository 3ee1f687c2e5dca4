using System.Globalization;
using RxNet.Sockets.Specs.Tcp;

namespace RxNet.Sockets.Specs.Interop;

/// <summary>
/// A Python process running Twisted's own <c>LineReceiver</c>, from a script written into a temporary
/// directory. It listens on 127.0.0.1 (printing <c>listening PORT</c>) or connects, sends
/// <see cref="InteropLines"/> (lines, a raw block in the middle announced by <c>RAW SIZE</c>, <c>END</c>),
/// checks the same from the other side byte for byte, and prints <c>received lines=N raw=SIZE
/// raw_calls=C</c>, or <c>mismatch WHAT</c> at the first difference. It exits with 0 when everything
/// matched. A <see cref="TwistedProcess"/> runs it; disposing the peer kills it if it still runs and deletes
/// the script.
/// </summary>
internal sealed class TwistedLinePeer : IDisposable
{
    private const string Protocol = """
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
        """;

    /// <summary>The whole script: <see cref="Protocol"/>, the shared <see cref="TwistedProcess.ServeOrConnect"/>, then the verdict as the exit code.</summary>
    private const string Script = Protocol + "\n\n" + TwistedProcess.ServeOrConnect + "\nsys.exit(0 if result[\"ok\"] else 1)";

    private readonly TwistedProcess _process;

    private TwistedLinePeer(TwistedProcess process) => _process = process;

    /// <summary>Everything the peer printed so far.</summary>
    public string Output => _process.Output;

    /// <summary>What the peer wrote to standard error (a Python traceback, say).</summary>
    public string Errors => _process.Errors;

    /// <summary>Starts a peer: <paramref name="role"/> is <c>server</c> or <c>client</c> (of <paramref name="port"/>).</summary>
    public static async Task<TwistedLinePeer> StartAsync(string role, int port, int lines, int rawSize) =>
        new(await TwistedProcess.StartAsync("rxnet-twisted-lines-", "line_peer.py", Script,
        [
            role,
            port.ToString(CultureInfo.InvariantCulture),
            lines.ToString(CultureInfo.InvariantCulture),
            rawSize.ToString(CultureInfo.InvariantCulture),
        ]));

    /// <summary>The port from the peer's <c>listening PORT</c> line.</summary>
    public Task<int> ListeningAsync() => _process.ListeningAsync("the Twisted server to listen");

    /// <summary>Waits for the peer to exit and for all of its output to be read.</summary>
    public Task<int> ExitCodeAsync() => _process.ExitCodeAsync(Bounded.Long);

    public void Dispose() => _process.Dispose();
}
