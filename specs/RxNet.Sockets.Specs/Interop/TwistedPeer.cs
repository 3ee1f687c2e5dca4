using System.Globalization;

namespace RxNet.Sockets.Specs.Interop;

/// <summary>
/// The script of a Python peer running Twisted's own <c>Int32StringReceiver</c> or <c>NetstringReceiver</c>,
/// written into a temporary directory when started: it listens (printing <c>listening PORT</c>) or connects,
/// sends <see cref="InteropFrames"/> and checks what it receives against them, printing
/// <c>received COUNT SHA256</c>, <c>mismatch INDEX LENGTH</c>, <c>limit LENGTH</c> and <c>lost COUNT</c>.
/// It exits with 0 when it saw what its mode expects. <see cref="StartAsync"/> runs it as a
/// <see cref="TwistedProcess"/>; disposing that kills it if it still runs.
/// </summary>
internal static class TwistedPeer
{
    private const string Protocol = """
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
        """;

    /// <summary>The whole script: <see cref="Protocol"/>, the shared <see cref="TwistedProcess.ServeOrConnect"/>, then the verdict as the exit code.</summary>
    private const string Script = Protocol + "\n\n" + TwistedProcess.ServeOrConnect + "\nsys.exit(0 if ok[0] else 1)";

    /// <summary>Starts a peer. <paramref name="kind"/> is <c>int32</c> or <c>netstring</c>; <paramref name="role"/>
    /// <c>server</c> or <c>client</c> (of <paramref name="port"/>); <paramref name="mode"/> <c>exchange</c>
    /// (send <paramref name="frames"/> frames and expect as many), <c>send-oversize</c> (send one string of
    /// 100000 bytes and expect to be disconnected) or <c>expect-oversize</c> (expect one and disconnect).</summary>
    public static Task<TwistedProcess> StartAsync(string kind, string role, string mode, int frames = 0, int port = 0) =>
        TwistedProcess.StartAsync("rxnet-twisted-", "peer.py", Script,
            [kind, role, mode, frames.ToString(CultureInfo.InvariantCulture), port.ToString(CultureInfo.InvariantCulture)]);
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
