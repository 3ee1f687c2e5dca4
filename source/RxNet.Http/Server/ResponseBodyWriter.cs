using System.Buffers;

namespace RxNet.Http;

/// <summary>
/// The output a response body is written to (with <c>WriteTo</c> semantics): it frames each chunk (chunked, or
/// counted against Content-Length), sends the response head with the first chunk or the end, and tells the
/// connection when the body ends or fails. Its water marks are the connection's, so a pausable body pauses while
/// the client does not read.
/// </summary>
/// <remarks>Called by the body's producer, one call at a time (WriteTo serializes), on any thread.</remarks>
internal sealed class ResponseBodyWriter(HttpServerConnection connection, ServerExchange exchange, HttpResponse response, bool chunked) : IConnectionOutput
{
    private readonly ArrayBufferWriter<byte> _scratch = new(256);
    private long _written;
    private bool _headSent;
    private bool _done;

    public IObservable<bool> Writable => connection.Output.Writable;

    public long PendingBytes => connection.Output.PendingBytes;

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (_done || value.IsEmpty)
            return;
        if (response.ContentLength is long length && _written + value.Length > length)
        {
            Fail($"the response body is longer than its Content-Length of {length} bytes");
            return;
        }
        _scratch.ResetWrittenCount();
        if (!StartHead())
            return;
        _written += value.Length;
        if (chunked)
        {
            ResponseWriter.WriteChunkHeader(_scratch, value.Length);
            _scratch.Write(value.Span);
            ResponseWriter.WriteChunkTrailer(_scratch);
        }
        else if (_scratch.WrittenCount > 0)
        {
            _scratch.Write(value.Span); // the head and the first chunk in one write
        }
        else
        {
            connection.Output.OnNext(value);
            connection.ResponseBytesWritten(value.Length);
            return;
        }
        connection.Output.OnNext(_scratch.WrittenMemory);
        connection.ResponseBytesWritten(_scratch.WrittenCount);
    }

    public void OnCompleted()
    {
        if (_done)
            return;
        if (response.ContentLength is long length && _written != length)
        {
            Fail($"the response body ended after {_written} of its Content-Length of {length} bytes");
            return;
        }
        _scratch.ResetWrittenCount();
        if (!StartHead())
            return;
        _done = true;
        if (chunked)
            ResponseWriter.WriteLastChunk(_scratch);
        if (_scratch.WrittenCount > 0)
            connection.Output.OnNext(_scratch.WrittenMemory);
        connection.ResponseCompleted(exchange);
    }

    public void OnError(Exception error)
    {
        if (_done)
            return;
        _done = true;
        connection.ResponseFailed(exchange, error, _headSent);
    }

    private bool StartHead()
    {
        if (_headSent)
            return true;
        _headSent = connection.WriteHead(exchange, response, chunked, _scratch);
        _done = !_headSent;
        return _headSent;
    }

    private void Fail(string reason)
    {
        _done = true;
        connection.AbortResponse(exchange, reason);
    }
}
