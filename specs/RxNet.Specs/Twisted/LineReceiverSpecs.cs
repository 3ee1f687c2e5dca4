using System.Buffers;
using System.Globalization;
using System.Text;
using RxNet.Specs.Fakes;
using RxNet.Specs.Framing;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>
/// <see cref="LineReceiver"/>: Twisted's lines, limits and raw mode, the same under every chunking of
/// the input (each input below is fed in all of its 2^(n-1) splits).
/// </summary>
public sealed class LineReceiverSpecs
{
    [Fact]
    public void LineReceived_EverySplitOfCrLfLines_GetsEachLineWithoutItsDelimiter()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("a\r\nbc\r\n\r\nx\ny\rz\r\n")))
        {
            var (protocol, _) = Run(new Recorder(), chunks);

            Assert.Equal(["line:a", "line:bc", "line:", "line:x\ny\rz"], protocol.Events);
        }
    }

    [Fact]
    public void LineReceived_TextOverload_GetsTheLineDecodedAsUtf8UnderEverySplit()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("né €\r\n")))
        {
            var (protocol, _) = Run(new TextRecorder(), chunks);

            Assert.Equal(["né €"], protocol.Lines);
        }
    }

    [Fact]
    public void LineReceived_LineInsideOneChunk_IsASliceOfThatChunk()
    {
        var protocol = new Recorder();
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);
        var chunk = Chunks.Utf8("a\r\nbc\r\n");

        protocol.DataReceived(chunk);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(protocol.Frames[1], out var segment));
        Assert.Same(chunk, segment.Array);
        Assert.Equal(3, segment.Offset);
    }

    [Theory]
    [InlineData("a\r\nR3\r\nxyzb\r\nc\r\n", new[] { "line:a", "line:R3", "raw:xyz", "line:b", "line:c" })]
    [InlineData("R4\r\n\r\n\r\nz\r\n", new[] { "line:R4", "raw:\r\n\r\n", "line:z" })]
    [InlineData("R0\r\nR2\r\nR\r\nq\r\n", new[] { "line:R0", "raw:", "line:R2", "raw:R\r", "line:\nq" })]
    public void SetRawMode_FromLineReceived_RestGoesToRawDataReceivedAndSetLineModeCutsTheRemainderUnderEverySplit(string input, string[] expected)
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8(input)))
        {
            var (protocol, connection) = Run(new Switching(), chunks);

            Assert.Equal(expected, protocol.Events);
            Assert.Equal(0, protocol.EmptyRawCalls);
            Assert.Null(connection.Output.Error);
        }
    }

    [Fact]
    public void RawMode_ChunksAfterTheSwitch_EachGoesToRawDataReceivedAsItArrives()
    {
        var protocol = new Switching();
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("R9\r\nab");
        connection.Input.Receive("cde");
        connection.Input.Receive("fghiafter\r\n");

        Assert.Equal(["ab", "cde", "fghiafter\r\n"], protocol.RawCalls);
        Assert.Equal(["line:R9", "raw:abcdefghi", "line:after"], protocol.Events);
    }

    [Fact]
    public void SetLineMode_FromOutsideACallback_CutsExtraIntoLinesBeforeReturning()
    {
        var protocol = new Recorder();
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);
        protocol.SetRawMode();
        connection.Input.Receive("raw bytes");

        protocol.SetLineMode(Chunks.Utf8("one\r\ntw"));
        connection.Input.Receive("o\r\n");

        Assert.Equal(["raw:raw bytes", "line:one", "line:two"], protocol.Events);
        Assert.True(protocol.LineMode);
    }

    [Fact]
    public void SetLineMode_ExtraBuffer_IsCopiedSoTheCallerMayReuseIt()
    {
        var protocol = new Recorder();
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);
        var extra = Chunks.Utf8("par");

        protocol.SetLineMode(extra);
        extra.AsSpan().Fill((byte)'X');
        connection.Input.Receive("t\r\n");

        Assert.Equal(["line:part"], protocol.Events);
    }

    [Fact]
    public void Delimiter_ChangedInsideLineReceived_CutsTheFollowingLinesWithTheNewOneUnderEverySplit()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("semi\r\na;b\r\n;")))
        {
            var protocol = new Recorder { OnLine = (p, line) => p.Delimiter = line == "semi" ? ";"u8.ToArray() : p.Delimiter };
            Run(protocol, chunks);

            Assert.Equal(["line:semi", "line:a", "line:b\r\n"], protocol.Events);
        }
    }

    [Fact]
    public void Delimiter_SetInTheConstructor_IsUsedFromTheFirstByte()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("a\nb\r\n\n")))
        {
            var (protocol, _) = Run(new Recorder("\n"u8.ToArray()), chunks);

            Assert.Equal(["line:a", "line:b\r", "line:"], protocol.Events);
        }
    }

    [Fact]
    public void Defaults_AreTwistedsCrLfAnd16384Bytes()
    {
        var protocol = new Recorder();

        Assert.Equal("\r\n", Encoding.ASCII.GetString(protocol.Delimiter.Span));
        Assert.Equal(16384, protocol.MaxLength);
        Assert.True(protocol.LineMode);
    }

    [Fact]
    public void Delimiter_Empty_ThrowsArgumentException()
    {
        var protocol = new Recorder();

        Assert.Throws<ArgumentException>(() => protocol.Delimiter = ReadOnlyMemory<byte>.Empty);
        Assert.Throws<ArgumentOutOfRangeException>(() => protocol.MaxLength = 0);
    }

    [Fact]
    public void MaxLength_LineOfExactlyTheMaximum_IsDeliveredUnderEverySplit()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("abcd\r\nefgh\r\n")))
        {
            var (protocol, connection) = Run(new Recorder { MaxLength = 4 }, chunks);

            Assert.Equal(["line:abcd", "line:efgh"], protocol.Events);
            Assert.False(connection.Output.IsCompleted);
        }
    }

    [Fact]
    public void LineLengthExceeded_ByDefault_LosesTheConnectionAndNothingAfterIsDeliveredUnderEverySplit()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("ok\r\ntoolong\r\nm\r\n")))
        {
            var (protocol, connection) = Run(new Recorder { MaxLength = 4, RecordExceeded = true, CallBaseOnExceeded = true }, chunks);

            Assert.Equal("line:ok", protocol.Events[0]);
            var exceeded = Assert.Single(protocol.Events, e => e.StartsWith("exceeded:", StringComparison.Ordinal));
            Assert.StartsWith("exceeded:toolo", exceeded, StringComparison.Ordinal);
            Assert.Equal(2, protocol.Events.Count);
            Assert.Equal(1, connection.Output.CompletedCount);
            Assert.False(connection.IsDisposed);
        }
    }

    [Fact]
    public void LineLengthExceeded_LongLineAndMoreInOneChunk_GetsTheLongLineItsDelimiterAndTheRestAsTwistedDoes()
    {
        var protocol = new Recorder { MaxLength = 4, RecordExceeded = true };
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("ok\r\ntoolong\r\nmore\r\n");

        Assert.Equal(["line:ok", "exceeded:toolong\r\nmore\r\n"], protocol.Events);
    }

    [Fact]
    public void LineLengthExceeded_NoDelimiterInTheMaximumPlusTheDelimitersLength_IsCalledWithoutWaitingForOne()
    {
        var protocol = new Recorder { MaxLength = 4, RecordExceeded = true };
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("abcd");
        connection.Input.Receive("e");
        Assert.Empty(protocol.Events); // as Twisted: a delimiter may still end the line at 4 + 2 bytes
        connection.Input.Receive("f");

        Assert.Equal(["exceeded:abcdef"], protocol.Events);
    }

    [Fact]
    public void LineLengthExceeded_OverriddenToKeepGoing_LaterBytesAreCutAfresh()
    {
        var protocol = new Recorder { MaxLength = 4, RecordExceeded = true };
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("abcdef");
        connection.Input.Receive("g\r\nok\r\n");

        Assert.Equal(["exceeded:abcdef", "line:g", "line:ok"], protocol.Events);
        Assert.False(connection.Output.IsCompleted);
    }

    [Fact]
    public void SendLine_BytesAndText_WriteTheLineAndTheDelimiterInOneWrite()
    {
        var protocol = new Recorder();
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);

        protocol.SendLine("HELO x"u8.ToArray());
        protocol.SendLine("é");
        protocol.Delimiter = "\n"u8.ToArray();
        protocol.SendLine(string.Empty);

        Assert.Equal(["HELO x\r\n", "é\r\n", "\n"], connection.Output.Writes.Select(w => w.AsText()));
    }

    [Fact]
    public void SendLine_LongLine_IsSentWhole()
    {
        var protocol = new Recorder();
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);
        string line = new('x', 100_000);

        protocol.SendLine(line);

        Assert.Equal(line + "\r\n", Assert.Single(connection.Output.Writes).AsText());
    }

    [Fact]
    public void ClearLineBuffer_FromLineReceived_ReturnsEverythingAfterTheLineAndDeliversNoMoreOfIt()
    {
        ReadOnlyMemory<byte> cleared = default;
        var protocol = new Recorder { OnLine = (p, line) => cleared = line == "a" ? p.ClearLineBuffer() : cleared };
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("a\r\nb\r\nc");
        connection.Input.Receive("d\r\n");

        Assert.Equal("b\r\nc", Encoding.UTF8.GetString(cleared.Span));
        Assert.Equal(["line:a", "line:d"], protocol.Events);
        Assert.True(protocol.ClearLineBuffer().IsEmpty);
    }

    [Fact]
    public void LoseConnection_FromLineReceived_LinesAfterItAreNotDeliveredUnderEverySplit()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("QUIT\r\nNOOP\r\n")))
        {
            var protocol = new Recorder
            {
                OnLine = (p, line) =>
                {
                    if (line == "QUIT")
                        p.Transport.LoseConnection();
                },
            };
            var (_, connection) = Run(protocol, chunks);
            connection.Input.Receive("MORE\r\n");

            Assert.Equal(["line:QUIT"], protocol.Events);
            Assert.Equal(1, connection.Output.CompletedCount);
        }
    }

    [Fact]
    public void SetRawMode_WithoutARawDataReceivedOverride_AbortsTheConnectionWithNotImplemented()
    {
        var protocol = new TextRecorder { RawAfter = "go" };
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("go\r\nbytes");

        var error = Assert.IsType<NotImplementedException>(connection.Output.Error);
        Assert.Contains(nameof(TextRecorder), error.Message, StringComparison.Ordinal);
        Assert.Contains("RawDataReceived", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LineReceived_NeitherOverloadOverridden_EndsTheConnectionWithNotImplementedAtTheFirstLine()
    {
        var protocol = new Silent();
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("partial");
        Assert.Null(connection.Output.Error);
        connection.Input.Receive(" line\r\n");

        var error = Assert.IsType<NotImplementedException>(connection.Output.Error);
        Assert.Contains(nameof(Silent), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LineOnlyReceiver_LongLinesAndUnterminatedBytes_ExceededAsTwistedsLineOnlyReceiver()
    {
        var protocol = new LinesOnly();
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("ok\r\ntoolong\r\ndropped\r\nabc");   // the lines after a long one in the chunk go
        connection.Input.Receive("d\r");                                // 5 bytes unterminated: over 4
        connection.Input.Receive("e\r\n");

        Assert.Equal(["line:ok", "exceeded:toolong", "exceeded:abcd\r", "line:e"], protocol.Events);
    }

    private sealed class Silent : LineReceiver;

    private sealed class LinesOnly : LineOnlyReceiver
    {
        public LinesOnly() => MaxLength = 4;

        public List<string> Events { get; } = [];

        public override void LineReceived(string line) => Events.Add("line:" + line);

        public override void LineLengthExceeded(ReadOnlyMemory<byte> line) => Events.Add("exceeded:" + Encoding.UTF8.GetString(line.Span));
    }

    [Fact]
    public void ConnectionEnds_WithAnUnterminatedLine_TheLineIsDropped()
    {
        var protocol = new Recorder();
        using var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("done\r\npartial");
        connection.Input.End();
        connection.Close(ConnectionCloseReason.PeerClose);

        Assert.Equal(["line:done", "lost:PeerClose"], protocol.Events);
    }

    private static (T Protocol, FakeConnection Connection) Run<T>(T protocol, byte[][] chunks)
        where T : LineReceiver
    {
        var connection = new FakeConnection();
        ConnectionTransport.Attach(connection, protocol);
        foreach (var chunk in chunks)
            connection.Input.Receive(chunk);
        return (protocol, connection);
    }

    /// <summary>Records lines (as bytes), raw data, exceeded lines and the end, in order.</summary>
    private sealed class Recorder : LineReceiver
    {
        public Recorder(byte[]? delimiter = null)
        {
            if (delimiter is not null)
                Delimiter = delimiter;
        }

        public List<string> Events { get; } = [];

        public List<ReadOnlyMemory<byte>> Frames { get; } = [];

        public Action<Recorder, string>? OnLine { get; init; }

        public bool RecordExceeded { get; init; }

        public bool CallBaseOnExceeded { get; init; }

        public override void LineReceived(ReadOnlyMemory<byte> line)
        {
            string text = Encoding.UTF8.GetString(line.Span);
            Frames.Add(line);
            Events.Add("line:" + text);
            OnLine?.Invoke(this, text);
        }

        public override void RawDataReceived(ReadOnlyMemory<byte> data) => Events.Add("raw:" + Encoding.UTF8.GetString(data.Span));

        public override void LineLengthExceeded(ReadOnlyMemory<byte> line)
        {
            if (RecordExceeded)
                Events.Add("exceeded:" + Encoding.UTF8.GetString(line.Span));
            if (CallBaseOnExceeded)
                base.LineLengthExceeded(line);
        }

        public override void ConnectionLost(ConnectionClosed reason) => Events.Add("lost:" + reason.Reason);
    }

    /// <summary>Overrides only the text overload, as a Twisted user porting <c>lineReceived</c> would.</summary>
    private sealed class TextRecorder : LineReceiver
    {
        public List<string> Lines { get; } = [];

        public string? RawAfter { get; init; }

        public override void LineReceived(string line)
        {
            Lines.Add(line);
            if (line == RawAfter)
                SetRawMode();
        }
    }

    /// <summary>
    /// HTTP's shape: a line "R<i>n</i>" announces <i>n</i> raw bytes; the protocol switches to raw mode,
    /// collects exactly <i>n</i> bytes over as many <c>RawDataReceived</c> calls as it takes, and hands
    /// what follows back with <c>SetLineMode(extra)</c>.
    /// </summary>
    private sealed class Switching : LineReceiver
    {
        private readonly ArrayBufferWriter<byte> _raw = new();
        private int _rawWanted;

        public List<string> Events { get; } = [];

        public List<string> RawCalls { get; } = [];

        public int EmptyRawCalls { get; private set; }

        public override void LineReceived(string line)
        {
            Events.Add("line:" + line);
            if (line.StartsWith('R') && int.TryParse(line.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            {
                _rawWanted = count;
                _raw.ResetWrittenCount();
                SetRawMode();
            }
        }

        public override void RawDataReceived(ReadOnlyMemory<byte> data)
        {
            RawCalls.Add(Encoding.UTF8.GetString(data.Span));
            if (data.IsEmpty)
                EmptyRawCalls++;
            int take = Math.Min(_rawWanted - _raw.WrittenCount, data.Length);
            _raw.Write(data.Span[..take]);
            if (_raw.WrittenCount == _rawWanted)
            {
                Events.Add("raw:" + Encoding.UTF8.GetString(_raw.WrittenSpan));
                SetLineMode(data[take..]);
            }
        }
    }
}
