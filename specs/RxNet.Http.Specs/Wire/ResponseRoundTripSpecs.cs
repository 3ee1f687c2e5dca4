using System.Buffers;
using System.Net;
using CsCheck;

namespace RxNet.Http.Specs.Wire;

/// <summary>
/// Random valid responses (every status class, registered and custom reasons, token and obs-text values, bodies by
/// length, chunked with trailers and until the close, answers to HEAD, several on one connection) written by the
/// server's <see cref="ResponseWriter"/> and read back by the client's <see cref="ResponseHeadParser"/> and the
/// chunked decoder, cut at random sizes, come out unchanged.
/// </summary>
public sealed class ResponseRoundTripSpecs
{
    private const string Date = "Sun, 06 Nov 1994 08:49:37 GMT";

    private static readonly Gen<string?> s_reason = Gen.Frequency(
            (6, Gen.Char[(char)0x21, (char)0x7E]),
            (2, RoundTripSpecs.OneOf(' ', '\t')),
            (1, Gen.Char[(char)0x80, (char)0xFF]))
        .Array[0, 30].Select(c => new string(c)).Null();

    private static readonly Gen<Sample> s_response =
        from status in Gen.Frequency((4, RoundTripSpecs.OneOf(100, 103, 200, 204, 304, 404)), (3, Gen.Int[102, 599]))
        from reason in s_reason
        from fields in RoundTripSpecs.Field.Where(f => !f.Name.Equals("Date", StringComparison.OrdinalIgnoreCase)).Array[0, 8]
        from framing in Gen.Int[1, 3].Select(i => (BodyFraming)i) // ContentLength, Chunked, UntilClose
        from keepAlive in Gen.Bool
        from body in Gen.Byte.Array[0, 100]
        from chunkSizes in Gen.Int[1, 40].Array[1, 6]
        from trailers in RoundTripSpecs.Field.Array[0, 3]
        select new Sample(status, reason, fields, framing, keepAlive && framing != BodyFraming.UntilClose, body, chunkSizes, trailers);

    [Fact]
    public void WriteThenParse_RandomValidResponsesOnOneConnectionAndCutAnyhow_ComeOutUnchanged()
    {
        Gen.Select(s_response.Array[1, 3], RoundTripSpecs.OneOf("GET", "HEAD", "POST"), Gen.Int[1, 64].Array[1, 8]).Sample((samples, method, cuts) =>
        {
            var output = new ArrayBufferWriter<byte>();
            var expected = new List<string>();
            foreach (Sample sample in samples)
            {
                expected.Add(sample.WriteTo(output, method, out bool endsTheConnection));
                if (endsTheConnection)
                    break;
            }

            byte[][] chunks = Chunking.Cut(output.WrittenSpan.ToArray(), cuts);

            Assert.Equal(string.Join("; ", expected), Responses.Run(chunks, method));
            Assert.Equal(string.Join("; ", expected), Responses.Run(chunks, method, growing: true));
        }, iter: 2000, seed: "0N0XIzNsQ0O2");
    }

    private sealed record Sample(int Status, string? Reason, (string Name, string Value)[] Fields,
        BodyFraming Framing, bool KeepAlive, byte[] Body, int[] ChunkSizes, (string Name, string Value)[] Trailers)
    {
        /// <summary>Writes the response and returns how <see cref="Responses"/> should describe it.</summary>
        public string WriteTo(ArrayBufferWriter<byte> output, string method, out bool endsTheConnection)
        {
            var response = new HttpResponse(Status) { ReasonPhrase = Reason };
            foreach (var (name, value) in Fields)
                response.Headers.Add(name, value);
            bool chunked = Framing == BodyFraming.Chunked;
            if (Framing == BodyFraming.ContentLength)
                response.ContentLength = Body.Length;
            ResponseWriter.WriteHead(output, response, HttpVersion.Version11, chunked, KeepAlive, System.Text.Encoding.ASCII.GetBytes(Date));

            // What the writer put in the head, in its order: Date, the fields, the framing field, Connection.
            var headers = new HttpHeaders().Add("Date", Date);
            foreach (var (name, value) in Fields)
                headers.Add(name, value);
            if (Status is >= 200 and not 204)
            {
                if (chunked)
                    headers.Add("Transfer-Encoding", "chunked");
                else if (Framing == BodyFraming.ContentLength)
                    headers.Add("Content-Length", FormattableString.Invariant($"{Body.Length}"));
            }
            if (!KeepAlive)
                headers.Add("Connection", "close");

            bool bodiless = method == "HEAD" || Status is < 200 or 204 or 304;
            BodyFraming framing = bodiless ? BodyFraming.None : Framing;
            byte[] body = bodiless ? [] : Body;
            HttpHeaders? trailers = null;
            if (framing == BodyFraming.Chunked)
                trailers = ChunkedBodies.Write(output, body, ChunkSizes, Trailers);
            else
                output.Write(body);

            endsTheConnection = framing == BodyFraming.UntilClose;
            var head = new ResponseHead(HttpVersion.Version11, Status, Reason ?? ReasonPhrases.For(Status) ?? "", headers,
                framing, framing == BodyFraming.ContentLength ? Body.Length : 0,
                KeepAlive: KeepAlive && framing != BodyFraming.UntilClose, Upgrade: null);
            return Responses.Describe(head) + Exchanges.Describe(body, trailers) + (endsTheConnection ? " (at the close)" : "");
        }
    }
}
