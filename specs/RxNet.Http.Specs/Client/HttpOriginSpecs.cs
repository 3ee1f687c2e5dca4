namespace RxNet.Http.Specs.Client;

public sealed class HttpOriginSpecs
{
    [Theory]
    [InlineData("http://Example.COM/a?b", "http", "example.com", 80, "example.com")]
    [InlineData("https://example.com:8443/", "https", "example.com", 8443, "example.com:8443")]
    [InlineData("https://example.com:443/", "https", "example.com", 443, "example.com")]
    [InlineData("http://[::1]:8080/x", "http", "::1", 8080, "[::1]:8080")]
    [InlineData("wss://chat.example/socket", "wss", "chat.example", 443, "chat.example")]
    public void Of_AbsoluteUri_IsSchemeHostAndPortWithDefaults(string uri, string scheme, string host, int port, string authority)
    {
        HttpOrigin origin = HttpOrigin.Of(new Uri(uri));

        Assert.Equal(new HttpOrigin(scheme, host, port), origin);
        Assert.Equal(authority, origin.Authority);
        Assert.Equal(scheme is "https" or "wss", origin.IsSecure);
    }

    [Theory]
    [InlineData("/relative")]
    [InlineData("ftp://example.com/file")]
    public void Of_RelativeOrOtherScheme_Throws(string uri) =>
        Assert.Throws<ArgumentException>(() => HttpOrigin.Of(new Uri(uri, UriKind.RelativeOrAbsolute)));

    [Fact]
    public void Equality_SameOriginFromDifferentPaths_IsOnePoolKey() =>
        Assert.Equal(HttpOrigin.Of(new Uri("http://a.example/x")), HttpOrigin.Of(new Uri("http://A.example:80/y?z")));
}
