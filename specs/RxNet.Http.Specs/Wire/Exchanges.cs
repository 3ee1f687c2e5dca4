using System.Buffers;
using System.Text;

namespace RxNet.Http.Specs.Wire;

/// <summary>
/// Feeds message bytes to a head parser and the chunked decoder the way a connection does (the buffer grows chunk
/// by chunk; each call gets what was not consumed, across as many segments as arrived) and describes what came
/// out as one string: every exchange's head, body and trailers, then the error or what was left over. Two runs
/// of the same bytes cut differently must give the same string. Requests go through <see cref="Run(byte[][], HttpServerOptions?, bool)"/>,
/// responses through <see cref="Responses"/>.
/// </summary>
internal static class Exchanges
{
    /// <summary>What the driver needs of a parsed head.</summary>
    /// <param name="Description">The head as the result string shows it.</param>
    /// <param name="Framing">How its body is delimited.</param>
    /// <param name="ContentLength">The body's length, for <see cref="BodyFraming.ContentLength"/>.</param>
    /// <param name="TakesOver">The connection changes protocol after this head (a 101, a 2xx to CONNECT): the
    /// bytes after it are not parsed as HTTP.</param>
    public readonly record struct Head(string Description, BodyFraming Framing, long ContentLength, bool TakesOver = false);

    /// <summary>One call of a head parser.</summary>
    public delegate bool ParseHead(in ReadOnlySequence<byte> buffer, out Head head, out SequencePosition consumed);

    /// <param name="chunks">The input as it arrives.</param>
    /// <param name="options">The limits; the defaults when omitted.</param>
    /// <param name="growing">Keep the input in one array that grows, so the parser sees the same buffer start after
    /// asking for more (and resumes); otherwise every call gets a fresh sequence of one segment per chunk.</param>
    public static string Run(byte[][] chunks, HttpServerOptions? options = null, bool growing = false)
    {
        options ??= HttpServerOptions.Default;
        var parser = new RequestHeadParser(options);
        return Drive(chunks, growing, (in ReadOnlySequence<byte> buffer, out Head head, out SequencePosition consumed) =>
        {
            bool parsed = parser.TryParse(buffer, out RequestHead request, out consumed);
            head = parsed ? new Head(DescribeHead(request), request.Framing, request.ContentLength) : default;
            return parsed;
        }, trailers => new ChunkedBodyDecoder(options, trailers));
    }

    public static string Run(string request, HttpServerOptions? options = null) => Run([Encoding.Latin1.GetBytes(request)], options);

    /// <summary>Runs the request at every cut into two or three chunks, and byte by byte, and asserts every run gives <paramref name="expected"/>.</summary>
    public static void AtEverySplit(string request, string expected, HttpServerOptions? options = null) =>
        AtEverySplit(request, expected, (chunks, growing) => Run(chunks, options, growing));

    /// <summary>Runs <paramref name="input"/> through <paramref name="run"/> whole, at every cut into two or three
    /// chunks and byte by byte, each as segments and as one growing buffer, and asserts every run gives <paramref name="expected"/>.</summary>
    public static void AtEverySplit(string input, string expected, Func<byte[][], bool, string> run)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(input);
        Assert.Equal(expected, run([bytes], false));
        int runs = 0;
        foreach (byte[][] chunks in Chunking.Boundaries(bytes))
        {
            foreach (bool growing in (bool[])[false, true])
            {
                string actual = run(chunks, growing);
                if (actual != expected)
                    Assert.Fail($"Cut as [{string.Join(", ", chunks.Select(c => c.Length))}] ({(growing ? "one growing buffer" : "a segment per chunk")}) it gave \"{actual}\", whole it gave \"{expected}\".");
            }
            runs++;
        }
        Assert.True(runs >= bytes.Length);
    }

    /// <summary>
    /// The driver: heads through <paramref name="parse"/>, bodies by length, chunked through a decoder from
    /// <paramref name="decoder"/>, or until the end of the input.
    /// </summary>
    public static string Drive(byte[][] chunks, bool growing, ParseHead parse, Func<HttpHeaders, ChunkedBodyDecoder> decoder)
    {
        byte[] all = new byte[chunks.Sum(c => c.Length)];
        int filled = 0, offset = 0;
        var parts = new List<byte[]>();
        var result = new List<string>();
        Head? head = null;
        long remaining = 0;
        bool takenOver = false;
        ChunkedBodyDecoder? chunked = null;
        HttpHeaders? trailers = null;
        var body = new List<byte>();
        try
        {
            foreach (byte[] chunk in chunks)
            {
                parts.Add(chunk);
                chunk.CopyTo(all, filled);
                filled += chunk.Length;
                while (parts.Count > 0 && !takenOver)
                {
                    ReadOnlySequence<byte> buffer = growing ? new(all, offset, filled - offset) : Chunking.Sequence([.. parts]);
                    if (head is null)
                    {
                        if (!parse(buffer, out Head parsed, out SequencePosition consumed))
                        {
                            Assert.Equal(buffer.Start, consumed);
                            break;
                        }
                        Drop(parts, buffer.Slice(0, consumed).Length, ref offset);
                        head = parsed;
                        takenOver = parsed.TakesOver;
                        remaining = parsed.Framing == BodyFraming.UntilClose ? long.MaxValue : parsed.ContentLength;
                        if (parsed.Framing == BodyFraming.Chunked)
                            chunked = decoder(trailers = new HttpHeaders());
                    }
                    else if (chunked is not null)
                    {
                        ReadOnlySequence<byte> data = chunked.Read(buffer, out SequencePosition consumed);
                        long used = buffer.Slice(0, consumed).Length;
                        body.AddRange(data.ToArray());
                        Drop(parts, used, ref offset);
                        if (used == 0 && data.IsEmpty && !chunked.IsComplete)
                            break;
                    }
                    else
                    {
                        long take = Math.Min(remaining, buffer.Length);
                        body.AddRange(buffer.Slice(0, take).ToArray());
                        Drop(parts, take, ref offset);
                        remaining -= take;
                    }
                    if (head is { } done && (chunked?.IsComplete ?? remaining == 0))
                    {
                        result.Add(done.Description + Describe(body, trailers));
                        head = null;
                        chunked = null;
                        trailers = null;
                        body.Clear();
                    }
                }
            }
            if (head is { Framing: BodyFraming.UntilClose } last)
                result.Add(last.Description + Describe(body, trailers) + " (at the close)");
            else if (head is not null)
                result.Add("incomplete body");
            long left = parts.Sum(p => (long)p.Length);
            if (left > 0)
                result.Add(FormattableString.Invariant($"{left} bytes left"));
        }
        catch (HttpProtocolException e)
        {
            result.Add(FormattableString.Invariant($"error {e.Error} {e.StatusCode}"));
        }
        return string.Join("; ", result);
    }

    /// <summary>One exchange as <see cref="Run(byte[][], HttpServerOptions?, bool)"/> describes it.</summary>
    public static string Describe(RequestHead head, IReadOnlyCollection<byte> body, HttpHeaders? trailers) =>
        DescribeHead(head) + Describe(body, trailers);

    /// <summary>A head's fields as <c> [Name: value]</c> each, then its framing.</summary>
    public static string DescribeFields(HttpHeaders headers, BodyFraming framing, long contentLength)
    {
        var result = new StringBuilder();
        foreach (var (name, value) in headers)
            result.Append(" [").Append(name).Append(": ").Append(value).Append(']');
        result.Append(framing switch
        {
            BodyFraming.ContentLength => FormattableString.Invariant($" length={contentLength}"),
            BodyFraming.Chunked => " chunked",
            BodyFraming.UntilClose => " until-close",
            _ => "",
        });
        return result.ToString();
    }

    private static string DescribeHead(RequestHead head)
    {
        var result = new StringBuilder();
        result.Append(head.Method).Append(' ').Append(head.Target).Append(' ').Append(head.Version.ToString(2));
        result.Append(DescribeFields(head.Headers, head.Framing, head.ContentLength));
        if (!head.KeepAlive)
            result.Append(" close");
        if (head.ExpectContinue)
            result.Append(" continue");
        if (head.Upgrade is { } upgrade)
            result.Append(" upgrade=").Append(upgrade);
        return result.ToString();
    }

    /// <summary>A body and trailers as the result string shows them: <c> body=…</c> then <c> {Name: value}</c> each.</summary>
    public static string Describe(IReadOnlyCollection<byte> body, HttpHeaders? trailers)
    {
        var result = new StringBuilder();
        if (body.Count > 0)
            result.Append(" body=").Append(Encoding.Latin1.GetString([.. body]));
        if (trailers is not null)
        {
            foreach (var (name, value) in trailers)
                result.Append(" {").Append(name).Append(": ").Append(value).Append('}');
        }
        return result.ToString();
    }

    private static void Drop(List<byte[]> parts, long count, ref int offset)
    {
        offset += (int)count;
        while (count > 0)
        {
            if (parts[0].Length <= count)
            {
                count -= parts[0].Length;
                parts.RemoveAt(0);
            }
            else
            {
                parts[0] = parts[0][(int)count..];
                count = 0;
            }
        }
    }
}
