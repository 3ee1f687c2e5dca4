namespace RxNet.Http.Specs.Messages;

public sealed class HttpHeadersSpecs
{
    [Theory]
    [InlineData("a\r\nSet-Cookie: x=1")]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData("a\0b")]
    public void Add_ValueWithLineBreakOrNul_ThrowsSoAResponseCannotBeSplit(string value)
    {
        var headers = new HttpHeaders();

        Assert.Throws<ArgumentException>(() => headers.Add("X-Test", value));
        Assert.Equal(0, headers.Count);
    }

    [Theory]
    [InlineData("X Test")]
    [InlineData("X-Test:")]
    [InlineData("")]
    [InlineData("X\u00e9")]
    public void Add_NameThatIsNotAToken_Throws(string name) =>
        Assert.Throws<ArgumentException>(() => new HttpHeaders().Add(name, "v"));

    [Fact]
    public void Set_NameInAnotherCase_ReplacesEveryFieldOfThatNameInPlace()
    {
        var headers = new HttpHeaders().Add("Via", "a").Add("Accept", "x").Add("via", "b");

        headers.Set("VIA", " c ");

        Assert.Equal([new("VIA", "c"), new KeyValuePair<string, string>("Accept", "x")], headers);
    }

    [Fact]
    public void GetValues_RepeatedName_ReturnsEveryValueInOrder()
    {
        var headers = new HttpHeaders().Add("Cache-Control", "no-cache").Add("Accept", "x").Add("cache-control", "max-age=0");

        Assert.Equal(["no-cache", "max-age=0"], headers.GetValues("CACHE-CONTROL"));
        Assert.Equal("no-cache", headers["cache-control"]);
        Assert.Null(headers["Missing"]);
    }
}
