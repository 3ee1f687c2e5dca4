using System.Buffers;
using System.Net;
using System.Text;
using CsCheck;

namespace RxNet.Http.Specs.Wire;

/// <summary>
/// Random valid requests (every target form, token and obs-text values, bodies by length and chunked, with
/// trailers, several pipelined) written by <see cref="RequestWriter"/> and read back by the parser and the
/// chunked decoder, cut at random sizes, come out unchanged.
/// </summary>
public sealed class RoundTripSpecs
{
    private const string TokenChars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string PathChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/%";
    private const string HostChars = "abcdefghijklmnopqrstuvwxyz0123456789-.";
    private static readonly string[] s_framingNames = ["Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect", "Upgrade"];

    internal static readonly Gen<string> Token = Gen.Char[TokenChars].Array[1, 12].Select(c => new string(c));
    private static readonly Gen<string> s_host = Gen.Select(Gen.Char[HostChars].Array[1, 20], Gen.Int[0, 65535].Nullable())
        .Select((name, port) => new string(name) + (port is int p ? FormattableString.Invariant($":{p}") : ""));
    private static readonly Gen<string> s_origin = Gen.Select(Gen.Char[PathChars].Array[0, 30], Gen.Char[PathChars + "?"].Array[0, 20].Null())
        .Select((path, query) => "/" + new string(path).Replace("%", "%25", StringComparison.Ordinal) + (query is null ? "" : "?" + new string(query).Replace("%", "%25", StringComparison.Ordinal)));
    internal static readonly Gen<string> Value = Gen.Frequency(
            (6, Gen.Char[(char)0x21, (char)0x7E]),
            (2, OneOf(' ', '\t')),
            (1, Gen.Char[(char)0x80, (char)0xFF]))
        .Array[0, 40].Select(c => new string(c).Trim(' ', '\t'));
    /// <summary>A field whose name is none of the framing fields, Host, Expect or Upgrade.</summary>
    internal static readonly Gen<(string Name, string Value)> Field = Gen.Select(
        Token.Where(n => !s_framingNames.Contains(n, StringComparer.OrdinalIgnoreCase)), Value);

    private static readonly Gen<Sample> s_request =
        from method in Gen.Frequency((4, OneOf("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT")), (1, Token))
        from http10 in Gen.Bool
        from host in s_host
        from form in Gen.Int[0, 3]
        from path in s_origin
        from fields in Field.Array[0, 8]
        from framing in Gen.Int[0, 2].Select(i => (BodyFraming)i) // a request's framings: None, ContentLength, Chunked
        from body in Gen.Byte.Array[0, 100]
        from chunkSizes in Gen.Int[1, 40].Array[1, 6]
        from trailers in Field.Array[0, 3]
        select new Sample(method, http10, host, Target(method, form, host, path), fields, http10 && framing == BodyFraming.Chunked ? BodyFraming.ContentLength : framing, body, chunkSizes, trailers);

    [Fact]
    public void WriteThenParse_RandomValidRequestsPipelinedAndCutAnyhow_ComeOutUnchanged()
    {
        Gen.Select(s_request.Array[1, 3], Gen.Int[1, 64].Array[1, 8]).Sample((samples, cuts) =>
        {
            var output = new ArrayBufferWriter<byte>();
            var expected = new List<string>();
            foreach (Sample sample in samples)
                expected.Add(sample.WriteTo(output));

            byte[][] chunks = Chunking.Cut(output.WrittenSpan.ToArray(), cuts);

            Assert.Equal(string.Join("; ", expected), Exchanges.Run(chunks));
            Assert.Equal(string.Join("; ", expected), Exchanges.Run(chunks, growing: true));
        }, iter: 2000, seed: "0N0XIzNsQ0O2");
    }

    internal static Gen<T> OneOf<T>(params T[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    private static string Target(string method, int form, string host, string path) => method switch
    {
        "CONNECT" => host.Contains(':', StringComparison.Ordinal) ? host : host + ":443",
        "OPTIONS" when form == 0 => "*",
        _ when form == 1 => "http://" + host + path,
        _ => path,
    };

    private sealed record Sample(string Method, bool Http10, string Host, string Target, (string Name, string Value)[] Fields,
        BodyFraming Framing, byte[] Body, int[] ChunkSizes, (string Name, string Value)[] Trailers)
    {
        /// <summary>Writes the request and returns how <see cref="Exchanges"/> should describe it.</summary>
        public string WriteTo(ArrayBufferWriter<byte> output)
        {
            var headers = new HttpHeaders().Add("Host", Host);
            foreach (var (name, value) in Fields)
                headers.Add(name, value);
            var request = new HttpRequest(Method, Target, headers)
            {
                Version = Http10 ? HttpVersion.Version10 : HttpVersion.Version11,
                ContentLength = Framing == BodyFraming.ContentLength ? Body.Length : null,
            };
            RequestWriter.WriteHead(output, request, Framing == BodyFraming.Chunked);

            byte[] body = Framing == BodyFraming.None ? [] : Body;
            HttpHeaders? trailers = null;
            if (Framing == BodyFraming.Chunked)
            {
                headers.Add("Transfer-Encoding", "chunked");
                trailers = ChunkedBodies.Write(output, Body, ChunkSizes, Trailers);
            }
            else
            {
                if (Framing == BodyFraming.ContentLength)
                    headers.Add("Content-Length", FormattableString.Invariant($"{Body.Length}"));
                output.Write(body);
            }
            var head = new RequestHead(Method, Target, request.Version, headers, Framing, Framing == BodyFraming.ContentLength ? Body.Length : 0,
                KeepAlive: !Http10, ExpectContinue: false, CloseAfter: false, Upgrade: null);
            return Exchanges.Describe(head, body, trailers);
        }
    }
}
