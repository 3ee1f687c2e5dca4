using System.Buffers;
using System.Net;

namespace RxNet.Http.Client.Handler.Internal;

/// <summary>
/// The content of a response: read once, as its <see cref="ResponseBodyStream"/> (<c>ReadAsStreamAsync</c>), or copied
/// from it (<c>LoadIntoBufferAsync</c>, <c>ReadAsStringAsync</c>, <c>CopyToAsync</c>), where a failure of the body is an
/// <see cref="HttpRequestException"/> around the RxNet error instead of the stream's <see cref="HttpIOException"/>.
/// </summary>
/// <remarks>The synchronous copy (<c>HttpClient.Send</c> buffering the content, <c>CopyTo</c>) blocks on the
/// asynchronous one, unless <paramref name="guard"/> says that blocking this thread cannot end.</remarks>
internal sealed class ResponseBodyContent(ResponseBodyStream body, BlockingGuard guard) : HttpContent
{
    private const int CopyBufferSize = 16 * 1024;

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        guard.ThrowIfBlockingCannotEnd("Reading the response content synchronously");
        SerializeToStreamAsync(stream, context, cancellationToken).GetAwaiter().GetResult();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpIOException failure)
        {
            throw HandlerErrors.WhileBuffering(failure);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(body);

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => Task.FromResult<Stream>(body);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => body;

    // The length, when the response has one, is its Content-Length field, copied to the headers.
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            body.Dispose();
        base.Dispose(disposing);
    }
}
