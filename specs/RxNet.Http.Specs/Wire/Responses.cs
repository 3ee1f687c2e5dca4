using System.Buffers;
using System.Text;

namespace RxNet.Http.Specs.Wire;

/// <summary>
/// Feeds response bytes to a <see cref="ResponseHeadParser"/> and the chunked decoder the way a client does, through
/// the <see cref="Exchanges"/> driver: a 1xx is a head of its own and the next head follows it, a body without
/// framing runs to the end of the input, and nothing after a 101 or a 2xx to CONNECT is parsed.
/// </summary>
internal static class Responses
{
    /// <summary>The client's default limits: status line 8 KiB, header section 64 KiB, 100 fields.</summary>
    public static readonly HttpMessageLimits Defaults = new(8 * 1024, 64 * 1024, 100);

    /// <param name="chunks">The input as it arrives.</param>
    /// <param name="method">The method of the request every response answers.</param>
    /// <param name="limits">The limits; <see cref="Defaults"/> when omitted.</param>
    /// <param name="growing">One growing buffer (the parser resumes) rather than a segment per chunk.</param>
    public static string Run(byte[][] chunks, string method = "GET", HttpMessageLimits? limits = null, bool growing = false)
    {
        HttpMessageLimits l = limits ?? Defaults;
        var parser = new ResponseHeadParser(l);
        return Exchanges.Drive(chunks, growing, (in ReadOnlySequence<byte> buffer, out Exchanges.Head head, out SequencePosition consumed) =>
        {
            bool parsed = parser.TryParse(buffer, method, out ResponseHead response, out consumed);
            head = parsed ? new Exchanges.Head(Describe(response), response.Framing, response.ContentLength,
                TakesOver: response.StatusCode == 101 || (method == "CONNECT" && response.StatusCode is >= 200 and < 300)) : default;
            return parsed;
        }, trailers => new ChunkedBodyDecoder(l, trailers));
    }

    public static string Run(string response, string method = "GET", HttpMessageLimits? limits = null) =>
        Run([Encoding.Latin1.GetBytes(response)], method, limits);

    /// <summary>Runs the response at every cut into two or three chunks, and byte by byte, and asserts every run gives <paramref name="expected"/>.</summary>
    public static void AtEverySplit(string response, string expected, string method = "GET", HttpMessageLimits? limits = null) =>
        Exchanges.AtEverySplit(response, expected, (chunks, growing) => Run(chunks, method, limits, growing));

    /// <summary>A head as <see cref="Run(byte[][], string, HttpMessageLimits?, bool)"/> shows it: <c>1.1 200 "OK" [Name: value] length=3</c>, then <c>close</c> and <c>upgrade=</c>.</summary>
    public static string Describe(ResponseHead head)
    {
        var result = new StringBuilder();
        result.Append(head.Version.ToString(2)).Append(' ').Append(head.StatusCode).Append(" \"").Append(head.ReasonPhrase).Append('"');
        result.Append(Exchanges.DescribeFields(head.Headers, head.Framing, head.ContentLength));
        if (!head.KeepAlive)
            result.Append(" close");
        if (head.Upgrade is { } upgrade)
            result.Append(" upgrade=").Append(upgrade);
        return result.ToString();
    }
}
