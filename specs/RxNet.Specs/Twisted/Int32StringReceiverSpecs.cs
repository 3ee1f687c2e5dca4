using System.Text;
using RxNet.Specs.Fakes;
using RxNet.Specs.Framing;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>Twisted's <c>Int32StringReceiver</c> and its siblings over a fake connection: strings at every
/// chunk split, <c>SendString</c>'s prefix, and <c>MAX_LENGTH</c> with <c>LengthLimitExceeded</c>.</summary>
public sealed class Int32StringReceiverSpecs
{
    [Fact]
    public void StringReceived_EverySplitOfThreeStrings_GetsEachWholeAndInOrder()
    {
        var input = Chunks.Hex("00000002 6869 00000000 00000003 616263");

        foreach (var chunks in Chunking.All(input))
        {
            using var connection = new FakeConnection();
            var protocol = new Strings();
            ConnectionTransport.Attach(connection, protocol);

            foreach (var chunk in chunks)
                connection.Input.Receive(chunk);

            Assert.Equal(["hi", "", "abc"], protocol.Received);
        }
    }

    [Fact]
    public void SendString_String_WritesTheBigEndianLengthAndTheStringAsOneWrite()
    {
        using var connection = new FakeConnection();
        var protocol = new Strings();
        ConnectionTransport.Attach(connection, protocol);

        protocol.SendString("hello"u8.ToArray());
        protocol.SendString(new byte[300]);

        Assert.Equal(2, connection.Output.Writes.Count);
        Assert.Equal(Chunks.Hex("00000005 68656C6C6F"), connection.Output.Writes[0]);
        Assert.Equal(Chunks.Hex("0000012C"), connection.Output.Writes[1][..4]);
        Assert.Equal(304, connection.Output.Writes[1].Length);
    }

    [Fact]
    public void SendString_AboveMaxLength_IsSentAnywayAsInTwisted()
    {
        using var connection = new FakeConnection();
        var protocol = new Strings { MaxLength = 3 };
        ConnectionTransport.Attach(connection, protocol);

        protocol.SendString("hello"u8.ToArray());

        Assert.Equal(9, Assert.Single(connection.Output.Writes).Length);
    }

    [Fact]
    public void LengthLimitExceeded_PrefixAboveMaxLength_GetsTheLengthAndTheConnectionIsLost()
    {
        using var connection = new FakeConnection();
        var protocol = new Strings();
        ConnectionTransport.Attach(connection, protocol);

        // "ok", then a prefix of 100000 (one more than Twisted's MAX_LENGTH) and nothing of its string.
        connection.Input.Receive(Chunks.Hex("00000002 6F6B 000186A0"));
        connection.Input.Receive(Chunks.Hex("00000001 78"));

        Assert.Equal(["ok"], protocol.Received);
        Assert.Equal([100000L], protocol.Exceeded);
        Assert.True(connection.Output.IsCompleted);
    }

    [Fact]
    public void LengthLimitExceeded_AtExactlyMaxLength_IsNotCalled()
    {
        using var connection = new FakeConnection();
        var protocol = new Strings { MaxLength = 4 };
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive(Chunks.Hex("00000004 61626364 00000005"));

        Assert.Equal(["abcd"], protocol.Received);
        Assert.Equal([5L], protocol.Exceeded);
    }

    [Fact]
    public void LengthLimitExceeded_OverriddenToKeepTheConnection_NoMoreStringsAreRead()
    {
        using var connection = new FakeConnection();
        var protocol = new Strings { KeepConnectionOnLimit = true, MaxLength = 1 };
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive(Chunks.Hex("00000002 6869"));
        connection.Input.Receive(Chunks.Hex("00000001 78"));

        Assert.Empty(protocol.Received);
        Assert.Equal([2L], protocol.Exceeded);
        Assert.False(connection.Output.IsCompleted);
    }

    [Fact]
    public void MaxLength_RaisedInsideStringReceived_AppliesToTheNextString()
    {
        using var connection = new FakeConnection();
        var protocol = new Strings { MaxLength = 1 };
        protocol.OnString = p => p.MaxLength = 10;
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive(Chunks.Hex("00000001 61 00000005 6263646566"));

        Assert.Equal(["a", "bcdef"], protocol.Received);
        Assert.Empty(protocol.Exceeded);
    }

    [Fact]
    public void StringReceived_Throws_AbortsTheConnectionWithTheException()
    {
        using var connection = new FakeConnection();
        var protocol = new Strings { OnString = _ => throw new InvalidOperationException("bad string") };
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive(Chunks.Hex("00000001 61"));

        Assert.Equal("bad string", connection.Output.Error?.Message);
    }

    [Fact]
    public void StringReceived_StringInsideOneChunk_IsASliceOfIt()
    {
        using var connection = new FakeConnection();
        var protocol = new Strings();
        ReadOnlyMemory<byte> kept = default;
        protocol.Keep = data => kept = data;
        ConnectionTransport.Attach(connection, protocol);
        var chunk = Chunks.Hex("00000002 6869");

        protocol.DataReceived(chunk); // as the transport does, without the fake's copy

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(kept, out var segment));
        Assert.Same(chunk, segment.Array);
    }

    [Fact]
    public void Int16AndInt8Receivers_ReadAndWriteTheirPrefixWidths()
    {
        using var connection16 = new FakeConnection();
        using var connection8 = new FakeConnection();
        var int16 = new Strings16();
        var int8 = new Strings8();
        ConnectionTransport.Attach(connection16, int16);
        ConnectionTransport.Attach(connection8, int8);

        connection16.Input.Receive(Chunks.Hex("0002 6869 0001"));
        connection16.Input.Receive(Chunks.Hex("78"));
        connection8.Input.Receive(Chunks.Hex("02 6869 01 78"));
        int16.SendString("ab"u8.ToArray());
        int8.SendString("ab"u8.ToArray());

        Assert.Equal(["hi", "x"], int16.Received);
        Assert.Equal(["hi", "x"], int8.Received);
        Assert.Equal((2, 1), (int16.PrefixLength, int8.PrefixLength));
        Assert.Equal(Chunks.Hex("0002 6162"), Assert.Single(connection16.Output.Writes));
        Assert.Equal(Chunks.Hex("02 6162"), Assert.Single(connection8.Output.Writes));
    }

    [Fact]
    public void SendString_TooLongForThePrefix_ThrowsLikeTwistedsStringTooLongError()
    {
        using var connection = new FakeConnection();
        var int8 = new Strings8();
        ConnectionTransport.Attach(connection, int8);

        int8.SendString(new byte[255]);
        var error = Assert.Throws<FrameTooLargeException>(() => int8.SendString(new byte[256]));

        Assert.Equal(255, error.Limit);
        Assert.Single(connection.Output.Writes);
    }

    [Fact]
    public void SendString_BeforeConnectionMade_ThrowsInvalidOperation() =>
        Assert.Throws<InvalidOperationException>(() => new Strings().SendString("x"u8.ToArray()));

    [Fact]
    public void MaxLength_Negative_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Strings { MaxLength = -1 });

    private sealed class Strings : Int32StringReceiver
    {
        public List<string> Received { get; } = [];

        public List<long> Exceeded { get; } = [];

        public bool KeepConnectionOnLimit { get; init; }

        public Action<Strings>? OnString { get; set; }

        public Action<ReadOnlyMemory<byte>>? Keep { get; set; }

        public override void StringReceived(ReadOnlyMemory<byte> data)
        {
            Received.Add(Encoding.Latin1.GetString(data.Span));
            Keep?.Invoke(data);
            OnString?.Invoke(this);
        }

        public override void LengthLimitExceeded(long length)
        {
            Exceeded.Add(length);
            if (!KeepConnectionOnLimit)
                base.LengthLimitExceeded(length);
        }
    }

    private sealed class Strings16 : Int16StringReceiver
    {
        public List<string> Received { get; } = [];

        public override void StringReceived(ReadOnlyMemory<byte> data) => Received.Add(Encoding.Latin1.GetString(data.Span));
    }

    private sealed class Strings8 : Int8StringReceiver
    {
        public List<string> Received { get; } = [];

        public override void StringReceived(ReadOnlyMemory<byte> data) => Received.Add(Encoding.Latin1.GetString(data.Span));
    }
}
