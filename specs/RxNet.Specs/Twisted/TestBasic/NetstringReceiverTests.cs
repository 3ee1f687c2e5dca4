using RxNet.Twisted;
using Xunit;
using static RxNet.Specs.Twisted.TestBasic.StringTransport;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted 22.4 <c>test_basic.NetstringReceiverTests</c> (with <c>LPTestCaseMixin.test_illegal</c>), case for
/// case. The tests of the private <c>_consumeLength</c> and <c>_payloadComplete</c> check the same boundaries through
/// what the receiver delivers and whether it disconnects.</summary>
public sealed class NetstringReceiverTests
{
    private static readonly string[] Strings = ["hello", "world", "how", "are", "you123", ":today", new string('a', 515)];

    private static readonly string[] IllegalStrings =
        ["9999999999999999999999", "abc", "4:abcde", "51:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab,"];

    private readonly TestNetstring _receiver = new();
    private readonly FakeConnection _transport;

    public NetstringReceiverTests() => _transport = _receiver.MakeConnection();

    [Fact]
    public void TestIllegal_EachIllegalStringByteByByte_Disconnects()
    {
        foreach (var s in IllegalStrings)
        {
            var r = new TestNetstring();
            var t = r.MakeConnection();
            foreach (var c in Bytes(B(s)))
                r.DataReceived(c);
            Assert.True(t.Disconnecting(), s);
        }
    }

    [Fact]
    public void TestBuffer_SentStringsReceivedInPacketsOf1To9_ReceivesEveryString()
    {
        for (int size = 1; size < 10; size++)
        {
            var a = new TestNetstring { MaxLength = 699 };
            var t = a.MakeConnection();
            foreach (var s in Strings)
                a.SendString(B(s));
            foreach (var packet in Packets(t.Value(), size).Where(p => p.Length > 0))
                a.DataReceived(packet);
            Assert.Equal(Strings, a.Received);
        }
    }

    [Fact]
    public void TestReceiveEmptyNetstring_ZeroLength_Received() => AssertReceived("0:,", "");

    [Fact]
    public void TestReceiveOneCharacter_OneByte_Received() => AssertReceived("1:a,", "a");

    [Fact]
    public void TestReceiveTwoCharacters_TwoBytes_Received() => AssertReceived("2:ab,", "ab");

    [Fact]
    public void TestReceiveNestedNetstring_ColonAndCommaInside_Received() => AssertReceived("4:1:a,,", "1:a,");

    [Fact]
    public void TestMoreDataThanSpecified_ThreeBytesForTwo_Disconnects() => AssertDisconnects("2:aaa,");

    [Fact]
    public void TestMoreDataThanSpecifiedBorderCase_OneByteForZero_Disconnects() => AssertDisconnects("0:a,");

    [Fact]
    public void TestMissingNumber_NoDigits_Disconnects() => AssertDisconnects(":aaa,");

    [Fact]
    public void TestMissingColon_NoColon_Disconnects() => AssertDisconnects("3aaa,");

    [Fact]
    public void TestMissingNumberAndColon_NeitherDigitsNorColon_Disconnects() => AssertDisconnects("aaa,");

    [Fact]
    public void TestOnlyData_DataAlone_Disconnects() => AssertDisconnects("aaa");

    [Fact]
    public void TestReceiveNetstringPortions_1_TwoPortions_Received()
    {
        _receiver.DataReceived(B("4:aa"));
        _receiver.DataReceived(B("aa,"));

        Assert.Equal(["aaaa"], _receiver.Received);
    }

    [Fact]
    public void TestReceiveNetstringPortions_2_LengthSplitAcrossPortions_Received()
    {
        foreach (var part in new[] { "1", "0:01234", "56789", "," })
            _receiver.DataReceived(B(part));

        Assert.Equal(["0123456789"], _receiver.Received);
    }

    [Fact]
    public void TestReceiveNetstringPortions_3_OneCharacterAtATime_Received()
    {
        foreach (var part in new[] { "2", ":", "a", "b", "," })
            _receiver.DataReceived(B(part));

        Assert.Equal(["ab"], _receiver.Received);
    }

    [Fact]
    public void TestReceiveTwoNetstrings_SecondLengthInTheFirstPortion_BothReceived()
    {
        _receiver.DataReceived(B("1:a,1"));
        Assert.Equal(["a"], _receiver.Received);
        _receiver.DataReceived(B(":b,"));

        Assert.Equal(["a", "b"], _receiver.Received);
    }

    [Fact]
    public void TestMaxReceiveLimit_PythonBytesOfTheLengthThenData_Disconnects()
    {
        int tooLong = _receiver.MaxLength + 1;

        // Twisted's vector is bytes(tooLong) + b":" + b"a" * tooLong: in Python 3, bytes(n) is n zero bytes.
        _receiver.DataReceived((byte[])[.. new byte[tooLong], .. B(":"), .. B(new string('a', tooLong))]);

        Assert.True(_transport.Disconnecting());
    }

    [Fact]
    public void TestConsumeLength_TwelveColon_ExpectsTwelveBytesAndAComma()
    {
        _receiver.MaxLength = 50;

        _receiver.DataReceived(B("12:" + new string('z', 12)));
        Assert.Empty(_receiver.Received);
        _receiver.DataReceived(B(","));

        Assert.Equal([new string('z', 12)], _receiver.Received);
    }

    [Fact]
    public void TestConsumeLengthBorderCase1_LengthEqualToMaxLength_Accepted()
    {
        _receiver.MaxLength = 12;

        _receiver.DataReceived(B("12:"));

        Assert.False(_transport.Disconnecting());
        Assert.False(_receiver.BrokenPeer);
    }

    [Fact]
    public void TestConsumeLengthBorderCase2_LengthOneAboveMaxLength_ParseError() => AssertParseError("12:");

    [Fact]
    public void TestConsumeLengthBorderCase3_LengthFarAboveMaxLength_ParseError() => AssertParseError("1000:");

    [Fact]
    public void TestStringReceivedNotImplemented_StringReceivedIsAbstract()
    {
        // Python raises NotImplementedError when it is not overridden; C# does not compile a receiver without it.
        Assert.True(typeof(NetstringReceiver).GetMethod(nameof(NetstringReceiver.StringReceived))!.IsAbstract);
    }

    private void AssertReceived(string data, string expected)
    {
        _receiver.DataReceived(B(data));

        Assert.Equal([expected], _receiver.Received);
    }

    private void AssertDisconnects(string data)
    {
        _receiver.DataReceived(B(data));

        Assert.True(_transport.Disconnecting());
    }

    private void AssertParseError(string data)
    {
        _receiver.MaxLength = 11;

        _receiver.DataReceived(B(data));

        Assert.True(_receiver.BrokenPeer);
        Assert.NotNull(_receiver.ParseError);
    }

    /// <summary>Twisted's <c>TestNetstring</c>: <c>TestMixin</c> (MAX_LENGTH 50) that echoes what it receives.</summary>
    private sealed class TestNetstring : NetstringReceiver
    {
        public TestNetstring() => MaxLength = 50;

        public List<string> Received { get; } = [];

        public override void StringReceived(ReadOnlyMemory<byte> data)
        {
            Received.Add(S(data));
            Transport.Write(data);
        }
    }
}
