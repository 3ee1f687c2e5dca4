namespace RxNet.Http.Specs.Messages;

public sealed class HttpRequestSpecs
{
    [Theory]
    [InlineData("/a/b?x=1&y=2", "/a/b", "x=1&y=2")]
    [InlineData("/", "/", "")]
    [InlineData("http://example.com/a?q", "/a", "q")]
    [InlineData("http://example.com", "/", "")]
    [InlineData("http://example.com?q", "/", "q")]
    [InlineData("example.com:443", "example.com:443", "")]
    [InlineData("*", "*", "")]
    public void Constructor_TargetInEachForm_SplitsPathAndQuery(string target, string path, string query)
    {
        var request = new HttpRequest("GET", target);

        Assert.Equal(path, request.Path);
        Assert.Equal(query, request.Query);
    }

    [Fact]
    public void MaxBodySize_Negative_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpRequest("POST", "/").MaxBodySize = -1);
}
