using Xunit;
using static RxNet.Specs.Twisted.TestBasic.StringTransport;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted 22.4 <c>test_basic.Int8Tests</c>: the mixins' cases with its vectors, and test_tooLongSend.</summary>
public sealed class Int8Tests : IntNTests<TestInt8>
{
    protected override string[] IllegalStrings => ["\u0000\u0000aaaaaa"];

    protected override string[] PartialStrings => ["\u0008", "dzadz", ""];

    [Fact]
    public void TestTooLongSend_TwoToTheEightPlusOneBytes_Throws()
    {
        var (r, _) = GetProtocol();

        Assert.Throws<FrameTooLargeException>(() => r.SendString(B(new string('b', (1 << 8) + 1))));
    }
}
