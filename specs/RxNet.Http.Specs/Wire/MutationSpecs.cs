using System.Text;

namespace RxNet.Http.Specs.Wire;

/// <summary>
/// A bounded random-mutation run: 200,000 mutants (about 10 s on a loaded two-core machine) (fixed seed) of valid requests through the parser and the
/// chunked decoder. Each must parse or fail with an <see cref="HttpProtocolException"/>, never another
/// exception; every eighth is also cut in two at a random place (half of those into one growing buffer, so the parser resumes)
/// and must give the same result whole and cut.
/// </summary>
public sealed class MutationSpecs
{
    private const int Mutants = 200_000;

    private static readonly byte[][] s_seeds =
    [
        .. new[]
        {
            "GET /plaintext?x=1 HTTP/1.1\r\nHost: localhost:8080\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello",
            "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;name=\"v\\\"x\"\r\nhello\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nDigest: x\r\n\r\n",
            "GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhiGET /c HTTP/1.0\r\n\r\n",
            "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n",
            "OPTIONS * HTTP/1.1\r\nHost: [::1]:80\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
            "GET http://a.example/p HTTP/1.0\r\nUser-Agent: caf\u00e9\r\n\r\n",
        }.Select(Encoding.Latin1.GetBytes),
    ];

    private static readonly byte[] s_injected = "\r\n \t\0:;\"=,"u8.ToArray();

    [Fact]
    public async Task Parse_200000MutatedRequests_EachParsesOrThrowsHttpProtocolException_SameWholeOrCut()
    {
        var options = HttpServerOptions.Default with { MaxRequestLineSize = 256, MaxRequestHeadersTotalSize = 512, MaxRequestHeaderCount = 12 };
        int errors = 0;
        var run = Task.Run(() =>
        {
            var random = new Random(14);
            for (int i = 0; i < Mutants; i++)
            {
                byte[] mutant = Mutate(s_seeds[random.Next(s_seeds.Length)], random);
                string whole = Exchanges.Run([mutant], options);
                if (whole.Contains("error ", StringComparison.Ordinal))
                    errors++;
                if (i % 8 == 0 && mutant.Length > 1)
                {
                    int cut = random.Next(1, mutant.Length);
                    string split = Exchanges.Run([mutant[..cut], mutant[cut..]], options, growing: i % 16 == 0);
                    if (split != whole)
                        Assert.Fail($"Mutant \"{HttpErrors.Printable(mutant)}\" gave \"{whole}\" whole but \"{split}\" cut at {cut}.");
                }
            }
        }, TestContext.Current.CancellationToken);

        // A generous bound (the run takes seconds), so a hang fails the spec instead of the build.
        // TimeoutException past it.
        await run.WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);
        // Both outcomes are common, so the run exercises the error paths and the success paths alike.
        Assert.InRange(errors, Mutants / 10, Mutants - (Mutants / 10));
    }

    internal static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                case 3:
                    bytes.Insert(at, s_injected[random.Next(s_injected.Length)]);
                    break;
                case 4:
                    bytes[at] = s_injected[random.Next(s_injected.Length)];
                    break;
                case 5:
                    DuplicateLine(bytes, at);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }
        return [.. bytes];
    }

    private static void DuplicateLine(List<byte> bytes, int at)
    {
        int start = bytes.LastIndexOf((byte)'\n', Math.Max(at - 1, 0)) + 1;
        int end = bytes.IndexOf((byte)'\n', at);
        if (end < 0)
            return;
        bytes.InsertRange(end + 1, bytes.GetRange(start, end + 1 - start));
    }
}
