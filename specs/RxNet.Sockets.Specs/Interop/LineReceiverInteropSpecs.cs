using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Sockets.Specs.Interop;

/// <summary>
/// RxNet's <see cref="LineReceiver"/> against Twisted's own <c>LineReceiver</c>, run by Python on loopback,
/// in both roles: ten thousand CRLF lines each way (UTF-8, lone CRs and LFs inside, lengths 0 to 120
/// bytes), with a raw block of about a megabyte in the middle that each side reads with
/// <c>setRawMode</c>/<c>setLineMode(extra)</c>, every byte checked on both sides.
/// </summary>
[Collection(TwistedProcess.Collection)]
[Trait("Category", "Integration")]
public sealed class LineReceiverInteropSpecs : IDisposable
{
    private const int Lines = 10_000;
    private const int RawSize = 1_000_003; // odd, so the block ends anywhere in a chunk

    private readonly SocketReactor _reactor = new();
    private readonly List<IDisposable> _resources = [];

    [Fact]
    public async Task LineReceiver_TwistedClientAgainstRxNetServer_TenThousandLinesAndARawBlockEachWayArriveIntact()
    {
        var rxnet = new InteropLinePeer(Lines, RawSize);
        var port = Keep(_reactor.ListenTcp(0, new OneConnectionFactory(rxnet), @interface: "127.0.0.1"));

        var twisted = Keep(await TwistedLinePeer.StartAsync("client", ((IPEndPoint)port.Host).Port, Lines, RawSize));

        await AssertExchangedAsync(rxnet, twisted);
    }

    [Fact]
    public async Task LineReceiver_RxNetClientAgainstTwistedServer_TenThousandLinesAndARawBlockEachWayArriveIntact()
    {
        var twisted = Keep(await TwistedLinePeer.StartAsync("server", 0, Lines, RawSize));
        int port = await twisted.ListeningAsync();
        var rxnet = new InteropLinePeer(Lines, RawSize);

        var connector = _reactor.ConnectTcp("127.0.0.1", port, new OneConnectionFactory(rxnet));
        Keep(new CallOnDispose(connector.Disconnect));

        await AssertExchangedAsync(rxnet, twisted);
    }

    public void Dispose()
    {
        foreach (var resource in Enumerable.Reverse(_resources))
            resource.Dispose();
        _reactor.Dispose();
    }

    private static async Task AssertExchangedAsync(InteropLinePeer rxnet, TwistedLinePeer twisted)
    {
        var result = await rxnet.Done.Within(Bounded.Long);
        int exitCode = await twisted.ExitCodeAsync();

        string context = $"\nTwisted printed:\n{twisted.Output}\nand wrote to stderr:\n{twisted.Errors}";
        Assert.True(result.Failure is null, result.Failure + context);
        Assert.Equal(Lines, result.Lines);
        Assert.Equal(RawSize, result.RawBytes);
        Assert.True(result.GotEnd, "RxNet never got END" + context);
        Assert.True(result.Closed.IsClean, $"RxNet's side closed with {result.Closed}" + context);
        Assert.True(exitCode == 0, "Twisted's peer failed" + context);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"received lines={Lines} raw={RawSize} "), twisted.Output, StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Lines} lines and {RawSize} raw bytes each way ({InteropLines.TotalBytes(Lines, RawSize)} bytes per side); RxNet read the raw block in {result.RawCalls} RawDataReceived calls; Twisted: {twisted.Output.ReplaceLineEndings(" ").Trim()}"));
    }

    private T Keep<T>(T resource)
        where T : IDisposable
    {
        _resources.Add(resource);
        return resource;
    }

    private sealed class CallOnDispose(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    /// <summary>Hands out the one peer for the one connection expected, and refuses any other.</summary>
    private sealed class OneConnectionFactory(InteropLinePeer peer) : ClientFactory
    {
        private int _built;

        public override Protocol? BuildProtocol(EndPoint? address) => Interlocked.Exchange(ref _built, 1) == 0 ? peer : null;

        public override void ClientConnectionFailed(IConnector connector, Exception reason) => peer.FailToConnect(reason);
    }
}

/// <summary>What an <see cref="InteropLinePeer"/> saw.</summary>
internal sealed record LineExchange(int Lines, int RawBytes, int RawCalls, bool GotEnd, string? Failure, ConnectionClosed Closed);

/// <summary>
/// The RxNet side of the exchange, the Python script's <c>Peer</c> line for line: sends its lines with
/// the raw block in the middle, and checks the other side's, switching to raw mode for its block.
/// </summary>
internal sealed class InteropLinePeer(int lineCount, int rawSize) : LineReceiver
{
    private readonly TaskCompletionSource<LineExchange> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _expectedBlob = InteropLines.Blob("py", rawSize);
    private int _received;
    private int _raw = -1; // -1 before the raw block
    private int _rawCalls;
    private bool _gotEnd;
    private string? _failure;

    public Task<LineExchange> Done => _done.Task;

    public void FailToConnect(Exception reason) => _done.TrySetException(reason);

    public override void ConnectionMade()
    {
        for (int i = 0; i < lineCount; i++)
        {
            if (i == lineCount / 2)
            {
                SendLine(string.Create(CultureInfo.InvariantCulture, $"RAW {rawSize}"));
                Transport.Write(InteropLines.Blob("rx", rawSize));
            }
            SendLine(InteropLines.Line("rx", i));
        }
        SendLine("END");
    }

    public override void LineReceived(ReadOnlyMemory<byte> line)
    {
        if (_failure is not null)
            return;
        if (_received == lineCount / 2 && _raw < 0)
        {
            if (Encoding.UTF8.GetString(line.Span) != string.Create(CultureInfo.InvariantCulture, $"RAW {rawSize}"))
            {
                Fail($"expected the RAW header, got '{Encoding.UTF8.GetString(line.Span)}'");
                return;
            }
            _raw = 0;
            SetRawMode();
            return;
        }
        if (_received == lineCount)
        {
            if (!line.Span.SequenceEqual("END"u8))
            {
                Fail($"expected END, got '{Encoding.UTF8.GetString(line.Span)}'");
                return;
            }
            _gotEnd = true;
            Transport.LoseConnection();
            return;
        }
        byte[] expected = Encoding.UTF8.GetBytes(InteropLines.Line("py", _received));
        if (!line.Span.SequenceEqual(expected))
        {
            Fail($"line {_received}: expected '{Encoding.UTF8.GetString(expected)}', got '{Encoding.UTF8.GetString(line.Span)}'");
            return;
        }
        _received++;
    }

    public override void RawDataReceived(ReadOnlyMemory<byte> data)
    {
        _rawCalls++;
        int take = Math.Min(rawSize - _raw, data.Length);
        if (!data.Span[..take].SequenceEqual(_expectedBlob.AsSpan(_raw, take)))
        {
            Fail($"the raw block differs between bytes {_raw} and {_raw + take}");
            return;
        }
        _raw += take;
        if (_raw == rawSize)
            SetLineMode(data[take..]);
    }

    public override void ConnectionLost(ConnectionClosed reason) =>
        _done.TrySetResult(new LineExchange(_received, Math.Max(_raw, 0), _rawCalls, _gotEnd, _failure, reason));

    private void Fail(string why)
    {
        _failure ??= why;
        Transport.LoseConnection();
    }
}

/// <summary>The lines and the raw block, the same in C# as in the Python script.</summary>
internal static class InteropLines
{
    private const string Alphabet = "abcXYZ019 \u00e9\u20ac\n\r\t-";

    /// <summary>Line <paramref name="i"/> of <paramref name="side"/> (<c>py</c> or <c>rx</c>), without its CRLF.</summary>
    public static string Line(string side, int i)
    {
        int n = (int)((long)i * 7919 % 97);
        var line = new StringBuilder().Append(side).Append(' ').Append(i.ToString(CultureInfo.InvariantCulture)).Append(' ');
        for (int k = 0; k < n; k++)
            line.Append(Alphabet[(i + k) % Alphabet.Length]);
        return line.ToString();
    }

    /// <summary>The raw block of <paramref name="side"/>: bytes of every value, CR LF pairs included.</summary>
    public static byte[] Blob(string side, int size)
    {
        int seed = side == "py" ? 1 : 2;
        var blob = new byte[size];
        for (int k = 0; k < size; k++)
            blob[k] = (byte)(((k * 31) + (seed * 7)) ^ (k >> 8));
        return blob;
    }

    /// <summary>The bytes one side sends: its lines with their CRLF, the RAW header, the block and END.</summary>
    public static long TotalBytes(int lines, int rawSize)
    {
        long total = Encoding.UTF8.GetByteCount($"RAW {rawSize}\r\n") + rawSize + "END\r\n".Length;
        for (int i = 0; i < lines; i++)
            total += Encoding.UTF8.GetByteCount(Line("rx", i)) + 2;
        return total;
    }
}
