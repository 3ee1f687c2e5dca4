using System.Text;
using RxNet.Specs.Fakes;
using RxNet.Specs.Framing;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>Twisted's <c>NetstringReceiver</c> over a fake connection: strings at every chunk split,
/// <c>SendString</c>, and a broken peer losing its connection.</summary>
public sealed class NetstringReceiverSpecs
{
    [Fact]
    public void StringReceived_EverySplitOfThreeNetstrings_GetsEachWholeAndInOrder()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("2:hi,0:,3:a,b,")))
        {
            using var connection = new FakeConnection();
            var protocol = new Strings();
            ConnectionTransport.Attach(connection, protocol);

            foreach (var chunk in chunks)
                connection.Input.Receive(chunk);

            Assert.Equal(["hi", "", "a,b"], protocol.Received);
            Assert.False(protocol.BrokenPeer);
        }
    }

    [Fact]
    public void SendString_String_WritesANetstringAsOneWrite()
    {
        using var connection = new FakeConnection();
        var protocol = new Strings();
        ConnectionTransport.Attach(connection, protocol);

        protocol.SendString("hello"u8.ToArray());

        Assert.Equal("5:hello,", Assert.Single(connection.Output.Writes).AsText());
    }

    [Theory]
    [InlineData("2:hi,05:hello,", "leading zeros")]
    [InlineData("2:hi,2:abX", "saw 'X' (0x58)")]
    [InlineData("2:hi,x", "saw 'x' (0x78)")]
    public void DataReceived_NotANetstring_MakesThePeerBrokenAndLosesTheConnection(string input, string seen)
    {
        using var connection = new FakeConnection();
        var protocol = new Strings();
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive(input);
        connection.Input.Receive("1:a,");

        Assert.Equal(["hi"], protocol.Received);
        Assert.True(protocol.BrokenPeer);
        Assert.Contains(seen, protocol.ParseError?.Message, StringComparison.Ordinal);
        Assert.True(connection.Output.IsCompleted);
    }

    [Fact]
    public void DataReceived_LengthAboveMaxLength_MakesThePeerBrokenWithFrameTooLarge()
    {
        using var connection = new FakeConnection();
        var protocol = new Strings { MaxLength = 3 };
        ConnectionTransport.Attach(connection, protocol);

        connection.Input.Receive("3:abc,4:");

        Assert.Equal(["abc"], protocol.Received);
        var tooLarge = Assert.IsType<FrameTooLargeException>(protocol.ParseError);
        Assert.Equal(3, tooLarge.Limit);
        Assert.True(connection.Output.IsCompleted);
    }

    [Fact]
    public void MaxLength_Default_IsTwistedsAndNegativeIsRefused()
    {
        var protocol = new Strings();

        Assert.Equal(99999, protocol.MaxLength);
        Assert.Throws<ArgumentOutOfRangeException>(() => protocol.MaxLength = -1);
    }

    private sealed class Strings : NetstringReceiver
    {
        public List<string> Received { get; } = [];

        public override void StringReceived(ReadOnlyMemory<byte> data) => Received.Add(Encoding.Latin1.GetString(data.Span));
    }
}
