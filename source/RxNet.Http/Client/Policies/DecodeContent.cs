using RxNet.Http.Client.Policies.Internal;

namespace RxNet.Http;

public static partial class HttpAgentPolicies
{
    /// <summary>The default decoded-size limit of <see cref="DecodeContent"/>: 64 MiB. A page, an API answer or a
    /// compressed log fits many times over; a decompression bomb (deflate reaches about 1000:1, so 64 KiB on the wire
    /// can be 64 MiB decoded) stops there. Pass a larger limit, or <see cref="long.MaxValue"/>, to stream large
    /// compressed downloads.</summary>
    public const long DefaultMaxDecodedSize = 64L * 1024 * 1024;

    /// <summary>An agent that asks for compressed responses and decodes them as they stream (Twisted's
    /// <c>ContentDecoderAgent</c>), with System.IO.Compression.</summary>
    /// <param name="agent">The agent that sends the requests.</param>
    /// <param name="maxDecodedSize">The most bytes a decoded body may have; past it the body fails with
    /// <see cref="HttpProtocolError.DecodedBodyTooLarge"/>.</param>
    /// <returns>An agent that adds <c>Accept-Encoding: gzip, deflate, br</c> unless the request has an
    /// <c>Accept-Encoding</c> field, and decodes a response whose <c>Content-Encoding</c> it knows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="agent"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDecodedSize"/> is negative.</exception>
    /// <remarks>
    /// <para><b>Codings.</b> <c>gzip</c> (and <c>x-gzip</c>), <c>deflate</c> (zlib-wrapped, as RFC 9110 says, or raw,
    /// as some servers send it and browsers accept) and <c>br</c>; layered codings are undone from the last. A
    /// decoded response has no <c>Content-Encoding</c> (or only the codings it could not undo, outermost first) and no
    /// <c>Content-Length</c> or <see cref="HttpResponse.ContentLength"/>, since its length is known only at its end;
    /// its trailers are copied to it when the body ends. A response to HEAD, a 204 or 304, or one without a body
    /// is returned as it is.</para>
    /// <para><b>Streaming.</b> The decoded body is a stream like the source: each compressed chunk is decoded as it
    /// arrives into chunks of at most 16 KiB, each a new array. When the source can pause
    /// (<see cref="IPausableObservable{T}"/>, as an agent's bodies do) the decoded body can too, and stops decoding
    /// between two chunks while its subscriber's demand is <see langword="false"/>, so a slow reader holds the server
    /// back through TCP's window as it would without decoding.</para>
    /// <para><b>Limits and errors.</b> Nothing is inflated more than one byte past <paramref name="maxDecodedSize"/>:
    /// a bomb fails there, holding one 16 KiB buffer, and the source's subscription is dropped (its connection
    /// closes). Data that is not valid in its coding fails with <see cref="HttpProtocolError.InvalidContentEncoding"/>.
    /// Both are <see cref="HttpProtocolException"/>s with status 502. A body cut short decodes as far as it goes.</para>
    /// </remarks>
    public static IHttpAgent DecodeContent(this IHttpAgent agent, long maxDecodedSize = DefaultMaxDecodedSize)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDecodedSize);
        return new DecodingAgent(agent, maxDecodedSize);
    }
}
