namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted 22.4 <c>test_basic.Int32Tests</c>: the mixins' cases with its vectors.</summary>
public sealed class Int32Tests : IntNTests<TestInt32>
{
    protected override string[] IllegalStrings => ["\u0010\u0000\u0000\u0000aaaaaa"];

    protected override string[] PartialStrings => ["\u0000\u0000\u0000", "hello there", ""];
}
