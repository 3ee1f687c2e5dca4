using RxNet.Http.Server.Compression;

namespace RxNet.Http.Specs.Server.Compression;

public sealed class AcceptEncodingSpecs
{
    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("br", "br")]
    [InlineData("gzip, br", "br")]                  // equal weights: br
    [InlineData("gzip;q=1, br;q=1.0", "br")]
    [InlineData("br;q=0.5, gzip", "gzip")]
    [InlineData("br;q=0.999, gzip;q=1", "gzip")]
    [InlineData("gzip;q=0.001", "gzip")]
    [InlineData("GZIP", "gzip")]                        // codings ignore case
    [InlineData("x-gzip", "gzip")]                      // RFC 9110 §8.4.1.3
    [InlineData("gzip ; q=0.8 , br ; Q=0.7", "gzip")]   // OWS around ';', 'q' in any case
    [InlineData("gzip;q=0", "identity")]                // gzip refused
    [InlineData("gzip;q=0.000, br;q=0", "identity")]
    [InlineData("*", "br")]
    [InlineData("*;q=0", "identity")]                   // nothing else: everything refused
    [InlineData("gzip;q=0, *", "br")]
    [InlineData("br;q=0, *;q=0.1", "gzip")]
    [InlineData("*;q=0, gzip;q=0.2", "gzip")]           // an explicit coding beats the wildcard
    [InlineData("identity", "identity")]                // only the unencoded body
    [InlineData("identity;q=0", "identity")]
    [InlineData("identity;q=0, gzip", "gzip")]
    [InlineData("deflate, compress", "identity")]       // codings this server does not produce
    [InlineData("", "identity")]
    [InlineData(",,, ,", "identity")]
    [InlineData("gzip;q=1.001", "identity")]            // malformed weights are never a yes
    [InlineData("gzip;q=2", "identity")]
    [InlineData("gzip;q=0.1234", "identity")]
    [InlineData("gzip;q=", "identity")]
    [InlineData("gzip;q=abc, br", "br")]
    [InlineData("gzip;level=9", "identity")]
    [InlineData("g zip", "identity")]
    [InlineData("gzip;q=0, gzip", "identity")]          // a repeated coding: its first element counts
    public void Choose_AcceptEncoding_PicksTheCodingOfHighestNonZeroWeight(string value, string expected) =>
        Assert.Equal(expected, Name(AcceptEncoding.Choose(new HttpHeaders().Add("Accept-Encoding", value))));

    [Fact]
    public void Choose_NoAcceptEncoding_CompressesNothing() =>
        Assert.Equal(ContentCoding.Identity, AcceptEncoding.Choose(new HttpHeaders().Add("Accept", "*/*")));

    [Fact]
    public void Choose_SeveralFields_ReadsThemAsOneList() =>
        Assert.Equal(ContentCoding.Gzip, AcceptEncoding.Choose(new HttpHeaders()
            .Add("Accept-Encoding", "br;q=0")
            .Add("accept-encoding", "gzip;q=0.3")));

    private static string Name(ContentCoding coding) => coding switch
    {
        ContentCoding.Gzip => "gzip",
        ContentCoding.Brotli => "br",
        _ => "identity",
    };
}
