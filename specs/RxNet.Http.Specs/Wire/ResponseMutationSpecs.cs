using System.Text;

namespace RxNet.Http.Specs.Wire;

/// <summary>
/// A bounded random-mutation run: 50,000 mutants (fixed seed) of valid responses through the response parser and
/// the chunked decoder. Each must parse or fail with an <see cref="HttpProtocolException"/> carrying 502, never
/// another exception; every eighth is also cut in two at a random place (half of those into one growing buffer, so
/// the parser resumes) and must give the same result whole and cut.
/// </summary>
public sealed class ResponseMutationSpecs
{
    private const int Mutants = 50_000;

    private static readonly (string Method, byte[] Bytes)[] s_seeds =
    [
        .. new[]
        {
            ("GET", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"),
            ("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=\"v\\\"x\"\r\nhello\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nDigest: x\r\n\r\n"),
            ("POST", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nLocation: /x\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 204 No Content\r\n\r\n"),
            ("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"),
            ("GET", "HTTP/1.0 200 Fine\r\nServer: caf\u00e9\r\n\r\nuntil the close"),
            ("GET", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"),
            ("GET", "HTTP/1.1 304 Not Modified\r\nETag: \"a\"\r\nContent-Length: 10\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nx"),
        }.Select(s => (s.Item1, Encoding.Latin1.GetBytes(s.Item2))),
    ];

    [Fact]
    public async Task Parse_50000MutatedResponses_EachParsesOrThrows502_SameWholeOrCut()
    {
        var limits = new HttpMessageLimits(MaxStartLineSize: 128, MaxHeadersTotalSize: 512, MaxHeaderCount: 12);
        int errors = 0;
        var run = Task.Run(() =>
        {
            var random = new Random(15);
            for (int i = 0; i < Mutants; i++)
            {
                var (method, seed) = s_seeds[random.Next(s_seeds.Length)];
                byte[] mutant = MutationSpecs.Mutate(seed, random);
                string whole = Responses.Run([mutant], method, limits);
                if (whole.Contains("error ", StringComparison.Ordinal))
                {
                    errors++;
                    Assert.EndsWith(" 502", whole, StringComparison.Ordinal);
                }
                if (i % 8 == 0 && mutant.Length > 1)
                {
                    int cut = random.Next(1, mutant.Length);
                    string split = Responses.Run([mutant[..cut], mutant[cut..]], method, limits, growing: i % 16 == 0);
                    if (split != whole)
                        Assert.Fail($"Mutant \"{HttpErrors.Printable(mutant)}\" gave \"{whole}\" whole but \"{split}\" cut at {cut}.");
                }
            }
        }, TestContext.Current.CancellationToken);

        // A generous bound (the run takes seconds), so a hang fails the spec instead of the build.
        await run.WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);
        Assert.InRange(errors, Mutants / 10, Mutants - (Mutants / 10));
    }
}
