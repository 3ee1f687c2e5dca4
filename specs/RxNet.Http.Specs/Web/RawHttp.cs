using System.Net.Sockets;
using System.Text;

namespace RxNet.Http.Specs.Web;

/// <summary>One raw request over a fresh loopback connection, read to the server's close: the status (-1 when it did not close within the bound, 0 when it closed without a head), the header
/// fields and the body (de-chunked when chunked). Bounded: a server that does not answer fails the spec.</summary>
internal sealed record RawHttp(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.Latin1.GetString(Body);

    public static async Task<RawHttp> SendAsync(int port, string request, TimeSpan bound)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(bound);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancel.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), cancel.Token);
        var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, cancel.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return new RawHttp(-1, new Dictionary<string, string>(), received.ToArray());   // no close within the bound
        }
        return Parse(received.ToArray());
    }

    private static RawHttp Parse(byte[] bytes)
    {
        string text = Encoding.Latin1.GetString(bytes);
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
            return new RawHttp(0, new Dictionary<string, string>(), bytes);   // no answer: status 0
        string[] lines = text[..end].Split("\r\n");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        byte[] body = bytes[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out string? coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            body = Dechunk(body);
        return new RawHttp(int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, body);
    }

    private static byte[] Dechunk(byte[] body)
    {
        var output = new MemoryStream();
        int at = 0;
        while (at < body.Length)
        {
            int lineEnd = Array.IndexOf(body, (byte)'\n', at);
            string sizeLine = Encoding.Latin1.GetString(body, at, lineEnd - at).Trim();
            int size = Convert.ToInt32(sizeLine.Split(';')[0], 16);
            at = lineEnd + 1;
            if (size == 0)
                break;
            output.Write(body, at, size);
            at += size + 2;
        }
        return output.ToArray();
    }
}
