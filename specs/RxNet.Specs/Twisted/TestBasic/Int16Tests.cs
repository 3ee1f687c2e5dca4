using Xunit;
using static RxNet.Specs.Twisted.TestBasic.StringTransport;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted 22.4 <c>test_basic.Int16Tests</c>: the mixins' cases with its vectors, and test_tooLongSend.</summary>
public sealed class Int16Tests : IntNTests<TestInt16>
{
    protected override string[] IllegalStrings => ["\u0010\u0000aaaaaa"];

    protected override string[] PartialStrings => ["\u0000", "hello there", ""];

    [Fact]
    public void TestTooLongSend_TwoToTheSixteenPlusOneBytes_Throws()
    {
        var (r, _) = GetProtocol();

        Assert.Throws<FrameTooLargeException>(() => r.SendString(B(new string('b', (1 << 16) + 1))));
    }
}
