using System.Buffers;
using System.Text;

namespace RxNet.Http.Specs.Wire;

/// <summary>
/// Feeds request bytes to the parser and the chunked decoder the way a server does (the buffer grows chunk by
/// chunk; each call gets what was not consumed, across as many segments as arrived) and describes what came
/// out as one string: every exchange's head, body and trailers, then the error or what was left over. Two runs
/// of the same bytes cut differently must give the same string.
/// </summary>
internal static class Exchanges
{
    /// <param name="chunks">The input as it arrives.</param>
    /// <param name="options">The limits; the defaults when omitted.</param>
    /// <param name="growing">Keep the input in one array that grows, so the parser sees the same buffer start after
    /// asking for more (and resumes); otherwise every call gets a fresh sequence of one segment per chunk.</param>
    public static string Run(byte[][] chunks, HttpServerOptions? options = null, bool growing = false)
    {
        byte[] all = new byte[chunks.Sum(c => c.Length)];
        int filled = 0, offset = 0;
        options ??= HttpServerOptions.Default;
        var parser = new RequestHeadParser(options);
        var parts = new List<byte[]>();
        var result = new List<string>();
        RequestHead? head = null;
        long remaining = 0;
        ChunkedBodyDecoder? decoder = null;
        HttpHeaders? trailers = null;
        var body = new List<byte>();
        try
        {
            foreach (byte[] chunk in chunks)
            {
                parts.Add(chunk);
                chunk.CopyTo(all, filled);
                filled += chunk.Length;
                while (parts.Count > 0)
                {
                    ReadOnlySequence<byte> buffer = growing ? new(all, offset, filled - offset) : Chunking.Sequence([.. parts]);
                    if (head is null)
                    {
                        if (!parser.TryParse(buffer, out RequestHead parsed, out SequencePosition consumed))
                        {
                            Assert.Equal(buffer.Start, consumed);
                            break;
                        }
                        Drop(parts, buffer.Slice(0, consumed).Length, ref offset);
                        head = parsed;
                        remaining = parsed.ContentLength;
                        if (parsed.Framing == BodyFraming.Chunked)
                            decoder = new ChunkedBodyDecoder(options, trailers = new HttpHeaders());
                    }
                    else if (decoder is not null)
                    {
                        ReadOnlySequence<byte> data = decoder.Read(buffer, out SequencePosition consumed);
                        long used = buffer.Slice(0, consumed).Length;
                        body.AddRange(data.ToArray());
                        Drop(parts, used, ref offset);
                        if (used == 0 && data.IsEmpty && !decoder.IsComplete)
                            break;
                    }
                    else
                    {
                        long take = Math.Min(remaining, buffer.Length);
                        body.AddRange(buffer.Slice(0, take).ToArray());
                        Drop(parts, take, ref offset);
                        remaining -= take;
                    }
                    if (head is { } done && (decoder?.IsComplete ?? remaining == 0))
                    {
                        result.Add(Describe(done, body, trailers));
                        head = null;
                        decoder = null;
                        trailers = null;
                        body.Clear();
                    }
                }
            }
            if (head is not null)
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

    public static string Run(string request, HttpServerOptions? options = null) => Run([Encoding.Latin1.GetBytes(request)], options);

    /// <summary>Runs the request at every cut into two or three chunks, and byte by byte, and asserts every run gives <paramref name="expected"/>.</summary>
    public static void AtEverySplit(string request, string expected, HttpServerOptions? options = null)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(request);
        Assert.Equal(expected, Run([bytes], options));
        int runs = 0;
        foreach (byte[][] chunks in Chunking.Boundaries(bytes))
        {
            foreach (bool growing in (bool[])[false, true])
            {
                string actual = Run(chunks, options, growing);
                if (actual != expected)
                    Assert.Fail($"Cut as [{string.Join(", ", chunks.Select(c => c.Length))}] ({(growing ? "one growing buffer" : "a segment per chunk")}) it gave \"{actual}\", whole it gave \"{expected}\".");
            }
            runs++;
        }
        Assert.True(runs >= bytes.Length);
    }

    /// <summary>One exchange as <see cref="Run(byte[][], HttpServerOptions?)"/> describes it.</summary>
    public static string Describe(RequestHead head, IReadOnlyCollection<byte> body, HttpHeaders? trailers)
    {
        var result = new StringBuilder();
        result.Append(head.Method).Append(' ').Append(head.Target).Append(' ').Append(head.Version.ToString(2));
        foreach (var (name, value) in head.Headers)
            result.Append(" [").Append(name).Append(": ").Append(value).Append(']');
        result.Append(head.Framing switch
        {
            BodyFraming.ContentLength => FormattableString.Invariant($" length={head.ContentLength}"),
            BodyFraming.Chunked => " chunked",
            _ => "",
        });
        if (!head.KeepAlive)
            result.Append(" close");
        if (head.ExpectContinue)
            result.Append(" continue");
        if (head.Upgrade is { } upgrade)
            result.Append(" upgrade=").Append(upgrade);
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
