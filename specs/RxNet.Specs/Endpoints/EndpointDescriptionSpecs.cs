using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace RxNet.Specs.Endpoints;

/// <summary>
/// Twisted-style endpoint strings: <c>scheme:arg:key=value</c>, backslash escapes, and errors that
/// quote the text and point at the offending position.
/// </summary>
public sealed partial class EndpointDescriptionSpecs
{
    /// <summary>Strings that exercise every escape: separators, escapes, their mixes and ends.</summary>
    private static readonly string[] _trickyValues =
    [
        "",
        ":",
        "=",
        "\\",
        "::1",
        "fe80::1%eth0",
        "a=b",
        "==",
        "\\\\",
        "C:\\temp\\x.sock",
        "/run/x.sock",
        "key=value:other=thing",
        "ends with backslash\\",
        "\\:",
        ":\\=",
        "=:\\=:",
        " spaced : out ",
        "ünïcødé:λ=1",
        "tcp:8000",
    ];

    [Fact]
    public void Parse_Scheme_IsLowerCased()
    {
        var d = EndpointDescription.Parse("TCP:8000");

        Assert.Equal("tcp", d.Scheme);
        Assert.Equal("TCP:8000", d.Text);
        Assert.Equal("tcp:8000", d.ToString());
    }

    [Fact]
    public void Parse_PositionalArguments_KeptInOrder()
    {
        var d = EndpointDescription.Parse("unix:/run/a.sock:second:third");

        Assert.Equal("unix", d.Scheme);
        Assert.Equal(["/run/a.sock", "second", "third"], d.Arguments);
        Assert.Empty(d.Parameters);
    }

    [Fact]
    public void Parse_KeyValueParameters_AreSeparatedFromArguments()
    {
        var d = EndpointDescription.Parse("tcp:8000:interface=127.0.0.1:backlog=10");

        Assert.Equal(["8000"], d.Arguments);
        Assert.Equal(2, d.Parameters.Count);
        Assert.Equal("127.0.0.1", d.Parameters["interface"]);
        Assert.Equal("10", d.Parameters["backlog"]);
    }

    [Fact]
    public void Parse_ValueWithAnotherEquals_SplitsAtTheFirstEquals()
    {
        var d = EndpointDescription.Parse("tcp:query=a=b");

        Assert.Equal("a=b", d.Parameters["query"]);
    }

    [Fact]
    public void Parse_KeysAreCaseSensitive_BothKept()
    {
        var d = EndpointDescription.Parse("tcp:Port=1:port=2");

        Assert.Equal("1", d.Parameters["Port"]);
        Assert.Equal("2", d.Parameters["port"]);
    }

    [Fact]
    public void Parse_EscapedColons_GiveAnIPv6Interface()
    {
        var d = EndpointDescription.Parse(@"tcp:8000:interface=\:\:1");

        Assert.Equal(["8000"], d.Arguments);
        Assert.Equal("::1", d.Parameters["interface"]);
    }

    [Fact]
    public void Parse_EscapedEquals_StaysInAnArgument()
    {
        var d = EndpointDescription.Parse(@"unix:a\=b");

        Assert.Equal([@"a=b"], d.Arguments);
        Assert.Empty(d.Parameters);
    }

    [Fact]
    public void Parse_EscapedBackslash_IsOneBackslash()
    {
        var d = EndpointDescription.Parse(@"unix:C\:\\temp");

        Assert.Equal([@"C:\temp"], d.Arguments);
    }

    [Fact]
    public void Escape_TrickyStrings_RoundTripThroughParseAsArguments()
    {
        foreach (string value in _trickyValues)
        {
            var d = EndpointDescription.Parse("x:" + EndpointDescription.Escape(value) + ":tail");

            Assert.True(d.Arguments.Count == 2 && d.Arguments[0] == value && d.Arguments[1] == "tail",
                $"'{value}' came back as [{string.Join(" | ", d.Arguments)}]");
            Assert.Empty(d.Parameters);
        }
    }

    [Fact]
    public void Escape_TrickyStrings_RoundTripThroughParseAsKeysAndValues()
    {
        foreach (string value in _trickyValues)
        {
            string key = "k" + value;
            var d = EndpointDescription.Parse($"x:{EndpointDescription.Escape(key)}={EndpointDescription.Escape(value)}:other=1");

            Assert.Empty(d.Arguments);
            Assert.True(d.Parameters.TryGetValue(key, out string? back), $"key '{key}' was lost: [{string.Join(" | ", d.Parameters.Keys)}]");
            Assert.Equal(value, back);
            Assert.Equal("1", d.Parameters["other"]);
        }
    }

    [Fact]
    public void Escape_EveryPairOfSpecialCharacters_RoundTrips()
    {
        char[] alphabet = [':', '=', '\\', 'a'];
        foreach (char a in alphabet)
        {
            foreach (char b in alphabet)
            {
                foreach (char c in alphabet)
                {
                    string value = new([a, b, c]);
                    var d = EndpointDescription.Parse("x:k=" + EndpointDescription.Escape(value));
                    Assert.Equal(value, d.Parameters["k"]);
                }
            }
        }
    }

    [Fact]
    public void Escape_PlainText_IsUnchanged()
    {
        Assert.Equal("127.0.0.1", EndpointDescription.Escape("127.0.0.1"));
        Assert.Equal(@"\:\:1", EndpointDescription.Escape("::1"));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData(":8000", 0)]
    [InlineData("  :8000", 0)]
    [InlineData("tcp=1:8000", 0)]
    [InlineData("tcp", 3)]
    [InlineData("tcp:8000:backlog=1:backlog=2", 19)]
    [InlineData("tcp:=5", 4)]
    [InlineData("tcp:8000:=5", 9)]
    [InlineData(@"tcp:8000\", 8)]
    [InlineData(@"tcp:interface=\:\:1\", 19)]
    public void Parse_Malformed_ThrowsFormatExceptionQuotingTheTextAndPosition(string text, int position)
    {
        var error = Assert.Throws<FormatException>(() => EndpointDescription.Parse(text));

        Assert.Contains($"\"{text}\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(position, PositionIn(error));
    }

    [Fact]
    public void Parse_DuplicateKey_NamesTheKey()
    {
        var error = Assert.Throws<FormatException>(() => EndpointDescription.Parse("tcp:8000:backlog=1:backlog=2"));

        Assert.Contains("'backlog'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => EndpointDescription.Parse(null!));
    }

    [Theory]
    [InlineData("8000", 0, 65535, 8000)]
    [InlineData("0", 0, 65535, 0)]
    [InlineData("65535", 0, 65535, 65535)]
    public void ReadInt32_NumberInRange_ReturnsIt(string value, int min, int max, int expected)
    {
        var d = EndpointDescription.Parse("tcp:" + value);

        Assert.Equal(expected, d.ReadInt32("port", value, min, max));
    }

    [Theory]
    [InlineData("http")]
    [InlineData("80a")]
    [InlineData("8.5")]
    [InlineData("+80")]
    [InlineData(" 80")]
    [InlineData("99999999999")]
    [InlineData("65536")]
    public void ReadInt32_NotANumberOrOutOfRange_ThrowsNamingTheParameterAndPointingAtTheValue(string value)
    {
        string text = "tcp:host=example.com:port=" + EndpointDescription.Escape(value);
        var d = EndpointDescription.Parse(text);

        var error = Assert.Throws<FormatException>(() => d.ReadInt32("port", value, 1, 65535));

        Assert.Contains("port must be a whole number from 1 to 65535", error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{text}\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(text.IndexOf("port=", StringComparison.Ordinal) + "port=".Length, PositionIn(error));
    }

    [Fact]
    public void ReadInt32_BelowTheMinimum_Throws()
    {
        var d = EndpointDescription.Parse("tcp:host=h:port=0");

        var error = Assert.Throws<FormatException>(() => d.ReadInt32("port", "0", 1, 65535));

        Assert.Contains("port must be a whole number from 1 to 65535", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadInt32_EmptyValue_PointsWhereTheValueShouldBe()
    {
        const string text = "tcp:host=h:port=";
        var d = EndpointDescription.Parse(text);

        var error = Assert.Throws<FormatException>(() => d.ReadInt32("port", d.Parameters["port"], 1, 65535));

        Assert.Equal(text.Length, PositionIn(error));
        Assert.Contains("port must be a whole number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadInt32_BadPositionalArgument_PointsAtTheArgument()
    {
        const string text = "tcp:interface=127.0.0.1:80x";
        var d = EndpointDescription.Parse(text);

        var error = Assert.Throws<FormatException>(() => d.ReadInt32("port", d.Arguments[0], 0, 65535));

        Assert.Equal(text.IndexOf("80x", StringComparison.Ordinal), PositionIn(error));
        Assert.Contains("'80x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("port must be a whole number from 0 to 65535", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadInt32_ValueAlsoAppearsEarlier_PointsAtTheParameterAtFault()
    {
        const string text = "tcp:0:backlog=0";
        var d = EndpointDescription.Parse(text);

        var error = Assert.Throws<FormatException>(() => d.ReadInt32("backlog", d.Parameters["backlog"], 1, 65535));

        Assert.Equal(text.IndexOf('=', StringComparison.Ordinal) + 1, PositionIn(error));
        Assert.Contains("backlog must be a whole number from 1 to 65535", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadInt32_NegativeValueWithinBounds_ReturnsIt()
    {
        var d = EndpointDescription.Parse("x:offset=-5");

        Assert.Equal(-5, d.ReadInt32("offset", "-5", -10, 10));
    }

    [Fact]
    public void Invalid_ParameterKey_QuotesTheValueAndPointsAtIt()
    {
        const string text = "tcp:8000:interface=localhost:backlog=10";
        var d = EndpointDescription.Parse(text);

        var error = d.Invalid("interface", "must be an IP address");

        Assert.IsType<FormatException>(error);
        Assert.Contains("'localhost' (interface): must be an IP address", error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{text}\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(text.IndexOf("localhost", StringComparison.Ordinal), PositionIn(error));
    }

    [Fact]
    public void Invalid_EscapedValue_PointsAtWhereItIsWritten()
    {
        const string text = @"tcp:8000:interface=\:\:1";
        var d = EndpointDescription.Parse(text);

        var error = d.Invalid("interface", "'tcp:' takes an IPv4 interface");

        Assert.Equal(text.IndexOf('\\', StringComparison.Ordinal), PositionIn(error));
        Assert.Contains("'::1' (interface)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_PositionalArgument_PointsAtIt()
    {
        const string text = "unix:/run/a.sock:extra";
        var d = EndpointDescription.Parse(text);

        var error = d.Invalid("extra", "unexpected extra argument");

        Assert.Equal(text.IndexOf("extra", StringComparison.Ordinal), PositionIn(error));
        Assert.Contains("'extra': unexpected extra argument", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_PartNotInTheDescription_PointsAtTheStart()
    {
        var d = EndpointDescription.Parse("tcp:8000");

        var error = d.Invalid("nowhere", "is missing");

        Assert.Equal(0, PositionIn(error));
        Assert.Contains("'nowhere'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownParameter_Key_PointsAtTheKey()
    {
        const string text = "tcp:8000:colour=blue";
        var d = EndpointDescription.Parse(text);

        var error = d.UnknownParameter("colour", "unknown parameter");

        Assert.Equal(text.IndexOf("colour", StringComparison.Ordinal), PositionIn(error));
        Assert.Contains("'colour': unknown parameter", error.Message, StringComparison.Ordinal);
    }

    private static int PositionIn(FormatException error)
    {
        var match = PositionPattern().Match(error.Message);
        Assert.True(match.Success, $"no position in: {error.Message}");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"at position (\d+)")]
    private static partial Regex PositionPattern();

    [Theory]
    [InlineData("tcp:8000", "tcp:8000")]
    [InlineData("TCP:port=8000:interface=127.0.0.1", "tcp:port=8000:interface=127.0.0.1")]
    [InlineData(@"tcp6:8000:interface=\:\:1", @"tcp6:8000:interface=\:\:1")]
    [InlineData(@"unix:/a\=b:mode=660", @"unix:/a\=b:mode=660")]
    [InlineData(@"x:k=v=w", @"x:k=v\=w")]
    [InlineData(@"x:a\\b:k=\:", @"x:a\\b:k=\:")]
    [InlineData("x:k=1:8000", "x:8000:k=1")]
    public void ToString_AnyDescription_IsCanonicalAndParsesBackToTheSameParts(string text, string canonical)
    {
        var d = EndpointDescription.Parse(text);

        var again = EndpointDescription.Parse(d.ToString());

        Assert.Equal(canonical, d.ToString());
        Assert.Equal(d.Scheme, again.Scheme);
        Assert.Equal(d.Arguments, again.Arguments);
        Assert.Equal(d.Parameters.OrderBy(p => p.Key), again.Parameters.OrderBy(p => p.Key));
        Assert.Equal(canonical, again.ToString());
    }

    [Theory]
    [InlineData("haproxy:tcp:8000", "tcp:8000")]
    [InlineData(@"haproxy:tcp6:8000:interface=\:\:1", @"tcp6:8000:interface=\:\:1")]
    [InlineData("tls:tcp:host=a:port=1", "tcp:host=a:port=1")]
    public void Inner_WrappingScheme_IsTheRestAsWritten(string text, string inner)
    {
        Assert.Equal(inner, EndpointDescription.Parse(text).Inner);
    }

    [Fact]
    public void Format_PartsWithSpecialCharacters_EscapesThemAndLeavesOutNullValues()
    {
        string text = EndpointDescription.Format("unix", ["/tmp/a:b"], ("mode", "660"), ("lockfile", null), ("note", "x=y"));

        Assert.Equal(@"unix:/tmp/a\:b:mode=660:note=x\=y", text);
        var d = EndpointDescription.Parse(text);
        Assert.Equal("/tmp/a:b", d.Arguments[0]);
        Assert.Equal("x=y", d.Parameters["note"]);
        Assert.False(d.Parameters.ContainsKey("lockfile"));
    }

    [Fact]
    public void ToString_Password_PrintsAsStars()
    {
        var d = EndpointDescription.Parse("tls:8443:pfx=server.pfx:password=s3cret");

        Assert.Equal("tls:8443:pfx=server.pfx:password=***", d.ToString());
        Assert.Equal("s3cret", d.Parameters["password"]);
    }

    [Theory]
    [InlineData(@"tls:8443:password=s3\:cret:pfx=a:bogus\")]
    [InlineData("tls:8443:password=s3cret:password=again")]
    public void Parse_MalformedStringWithAPassword_NeverQuotesThePassword(string text)
    {
        var error = Assert.Throws<FormatException>(() => EndpointDescription.Parse(text));

        Assert.DoesNotContain("s3", error.Message, StringComparison.Ordinal);
        Assert.Contains("password=***", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_PasswordAtFault_PointsAtItWithoutQuotingIt()
    {
        var d = EndpointDescription.Parse("tls:8443:pfx=a.pfx:password=s3cret");

        var error = d.Invalid("password", "the PFX file does not open with this password");

        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.Contains("'***' (password)", error.Message, StringComparison.Ordinal);
        Assert.Contains("at position 28:", error.Message, StringComparison.Ordinal);
    }
}
