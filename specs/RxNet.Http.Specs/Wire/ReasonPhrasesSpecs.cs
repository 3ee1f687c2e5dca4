namespace RxNet.Http.Specs.Wire;

public sealed class ReasonPhrasesSpecs
{
    [Theory]
    [InlineData(100, "Continue")]
    [InlineData(200, "OK")]
    [InlineData(204, "No Content")]
    [InlineData(304, "Not Modified")]
    [InlineData(400, "Bad Request")]
    [InlineData(404, "Not Found")]
    [InlineData(408, "Request Timeout")]
    [InlineData(413, "Content Too Large")]
    [InlineData(414, "URI Too Long")]
    [InlineData(417, "Expectation Failed")]
    [InlineData(431, "Request Header Fields Too Large")]
    [InlineData(500, "Internal Server Error")]
    [InlineData(501, "Not Implemented")]
    [InlineData(505, "HTTP Version Not Supported")]
    public void For_StandardCode_IsRfc9110sPhrase(int code, string phrase) => Assert.Equal(phrase, ReasonPhrases.For(code));

    [Fact]
    public void For_UnregisteredCode_IsNull() => Assert.Null(ReasonPhrases.For(299));
}
